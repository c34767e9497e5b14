package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Timestamp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .proto text → descriptors at run time: imports from proto/, bundled google/* files, options kept. */
class ProtoTextLoaderTest {
  @TempDir
  Path tmp;

  private ProtoSchema loadInventory() throws DescriptorProblem {
    Path config = GrpcFixture.workspace(tmp);
    Path proto = tmp.resolve("proto");
    return ProtoTextLoader.load(proto.resolve("inventory.proto"), List.of(proto), config);
  }

  @Test
  void inventoryProtoLoadsWithItsImportsAndTheBundledWellKnownTypes() throws Exception {
    long t0 = System.nanoTime();
    ProtoSchema schema = loadInventory();
    System.out.println("inventory.proto loaded in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    ServiceDescriptor inventory = schema.servicesByName().get("inventory.v1.Inventory");
    assertThat(inventory).isNotNull();
    Descriptor item = inventory.findMethodByName("GetItem").getOutputType();
    assertThat(item.findFieldByName("price").getMessageType().getFullName()).isEqualTo("ficus.common.Money");
    assertThat(item.findFieldByName("update_time").getMessageType())
        .as("the very Timestamp protobuf-java-util knows").isSameAs(Timestamp.getDescriptor());
    assertThat(item.findFieldByName("note").hasPresence()).as("proto3 optional").isTrue();
    assertThat(item.findFieldByName("stock_by_location").isMapField()).isTrue();
    assertThat(item.getOneofs()).extracting(o -> o.getName()).contains("availability");
  }

  @Test
  void httpAnnotationsSurviveWithAdditionalBindings() throws Exception {
    MethodDescriptor getStock = loadInventory().servicesByName().get("inventory.v1.Inventory")
        .findMethodByName("GetStock");
    HttpRule rule = getStock.getOptions().getExtension(AnnotationsProto.http);
    assertThat(rule.getGet()).isEqualTo("/v1/{name=warehouses/*/items/*}:stock");
    assertThat(rule.getAdditionalBindings(0).getResponseBody()).isEqualTo("on_hand");
  }

  @Test
  void methodLocationsPointIntoTheProto() throws Exception {
    ProtoSchema schema = loadInventory();
    MethodDescriptor getItem = schema.servicesByName().get("inventory.v1.Inventory").findMethodByName("GetItem");
    assertThat(schema.location(getItem).toString()).matches("\\.\\./proto/inventory\\.proto:\\d+:\\d+");
  }

  @Test
  void aSyntaxErrorNamesFileLineAndColumn() {
    Path proto = tmp.resolve("proto");
    GrpcFixture.copyTree(GrpcFixture.repository().resolve("proto"), proto);
    GrpcFixture.write(proto, "broken.proto", "syntax = \"proto3\";\npackage x;\nmessage A {\n  string a = ;\n}\n");
    assertThatThrownBy(() -> ProtoTextLoader.load(proto.resolve("broken.proto"), List.of(proto), tmp))
        .isInstanceOf(DescriptorProblem.class)
        .hasMessageContaining("proto/broken.proto:4:");
  }

  @Test
  void aMissingImportIsNamed() {
    Path proto = tmp.resolve("proto");
    GrpcFixture.copyTree(GrpcFixture.repository().resolve("proto"), proto);
    GrpcFixture.write(proto, "lonely.proto", "syntax = \"proto3\";\npackage x;\nimport \"nowhere/y.proto\";\n");
    assertThatThrownBy(() -> ProtoTextLoader.load(proto.resolve("lonely.proto"), List.of(proto), tmp))
        .hasMessageContaining("nowhere/y.proto");
  }

  @Test
  void anUnknownTypeIsReportedWhereItIsUsed() {
    Path proto = tmp.resolve("proto");
    GrpcFixture.copyTree(GrpcFixture.repository().resolve("proto"), proto);
    GrpcFixture.write(proto, "typo.proto", "syntax = \"proto3\";\npackage x;\nmessage A {\n  Strnig a = 1;\n}\n");
    assertThatThrownBy(() -> ProtoTextLoader.load(proto.resolve("typo.proto"), List.of(proto), tmp))
        .hasMessageContaining("Strnig").hasMessageContaining("typo.proto:4:3");
  }

  @Test
  void aFileOutsideTheImportRootsIsRefused() {
    Path proto = tmp.resolve("proto");
    GrpcFixture.copyTree(GrpcFixture.repository().resolve("proto"), proto);
    assertThatThrownBy(() -> ProtoTextLoader.load(proto.resolve("inventory.proto"), List.of(tmp.resolve("elsewhere")),
        tmp)).hasMessageContaining("not inside any 'protoPath' folder");
  }
}
