package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.ficus.samples.grpc.inventory.v1.Item;
import dev.ficus.samples.grpc.inventory.v1.ItemFilter;
import dev.ficus.samples.grpc.inventory.v1.ListItemsRequest;
import dev.ficus.samples.grpc.inventory.v1.UpdateItemRequest;
import org.junit.jupiter.api.Test;

/** Text (path, query, header values) into protobuf fields, by the proto3 JSON string rules. */
class TextValuesTest {
  private static FieldDescriptor item(String name) {
    return Item.getDescriptor().findFieldByName(name);
  }

  @Test
  void int64AndEnumsAndBytesConvert() {
    assertThat(TextValues.parse(item("quantity"), "9007199254740993")).isEqualTo(9007199254740993L);
    assertThat(((EnumValueDescriptor) TextValues.parse(item("category"), "GARDEN")).getName()).isEqualTo("GARDEN");
    assertThat(((EnumValueDescriptor) TextValues.parse(item("category"), "3")).getName()).isEqualTo("KITCHEN");
    assertThat(TextValues.parse(item("thumbnail"), "UE5HPw==")).isEqualTo(ByteString.copyFromUtf8("PNG?"));
    assertThat(TextValues.parse(item("thumbnail"), "_-8")).isEqualTo(ByteString.copyFrom(new byte[] {-1, -17}));
  }

  @Test
  void unknownEnumNumbersAreKeptForOpenEnums() {
    assertThat(((EnumValueDescriptor) TextValues.parse(item("category"), "42")).getNumber()).isEqualTo(42);
  }

  @Test
  void wrongTextSaysWhatWasExpected() {
    assertThatThrownBy(() -> TextValues.parse(item("quantity"), "ten")).hasMessage("expected a 64-bit integer, got 'ten'");
    assertThatThrownBy(() -> TextValues.parse(item("category"), "SPOONS"))
        .hasMessageContaining("expected one of CATEGORY_UNSPECIFIED, TOOLS, GARDEN, KITCHEN, got 'SPOONS'");
    assertThatThrownBy(() -> TextValues.parse(item("discontinued"), "yes")).hasMessageContaining("true or false");
    assertThatThrownBy(() -> TextValues.parse(item("update_time"), "yesterday")).hasMessageContaining("RFC 3339");
  }

  @Test
  void wellKnownTypesWithAStringFormConvert() {
    Object ts = TextValues.parse(item("update_time"), "2026-01-15T10:00:00Z");
    assertThat(((Timestamp) ts).getSeconds()).isEqualTo(1_768_471_200L);
    FieldDescriptor mask = UpdateItemRequest.getDescriptor().findFieldByName("update_mask");
    assertThat(((FieldMask) TextValues.parse(mask, "title,stockByLocation")).getPathsList())
        .containsExactly("title", "stock_by_location");
    FieldDescriptor min = ItemFilter.getDescriptor().findFieldByName("min_quantity");
    Message wrapped = (Message) TextValues.parse(min, "5");
    assertThat(wrapped.getField(wrapped.getDescriptorForType().findFieldByName("value"))).isEqualTo(5L);
  }

  @Test
  void onlyScalarsAndStringFormedWellKnownTypesAreTextual() {
    assertThat(TextValues.isTextual(item("weight_kg"))).isTrue();
    assertThat(TextValues.isTextual(item("price"))).isFalse();
    assertThat(TextValues.isTextual(item("stock_by_location"))).isFalse();
    assertThat(TextValues.isTextual(ListItemsRequest.getDescriptor().findFieldByName("skus"))).isTrue();
  }

  @Test
  void fieldPathsAcceptProtoAndJsonNamesAndSuggestTheFieldMeant() {
    FieldPath p = FieldPath.resolve(ListItemsRequest.getDescriptor(), "filter.minQuantity");
    assertThat(p.leaf().getName()).isEqualTo("min_quantity");
    assertThat(FieldPath.resolve(ListItemsRequest.getDescriptor(), "page_size").leaf().getJsonName())
        .isEqualTo("pageSize");
    assertThatThrownBy(() -> FieldPath.resolve(ListItemsRequest.getDescriptor(), "filter.categry"))
        .hasMessageContaining("inventory.v1.ItemFilter has no field 'categry'; did you mean 'category'?");
    assertThatThrownBy(() -> FieldPath.resolve(ListItemsRequest.getDescriptor(), "skus.x"))
        .hasMessageContaining("'skus' is repeated");
  }

  @Test
  void settingANestedPathCreatesTheParents() {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(ListItemsRequest.getDescriptor());
    FieldPath p = FieldPath.resolve(ListItemsRequest.getDescriptor(), "filter.category");
    p.set(b, TextValues.parse(p.leaf(), "TOOLS"));
    assertThat(b.build().toString()).contains("filter {\n  category: TOOLS\n}");
    assertThat(p.isSet(b)).isTrue();
  }
}
