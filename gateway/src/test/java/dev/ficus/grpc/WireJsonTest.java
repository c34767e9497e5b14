package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.Specs.GrpcBackendSpec;
import dev.ficus.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct reply writer ({@link WireJson}) against protobuf-java-util's {@code JsonFormat}, the
 * definition of the output: random messages of every field kind (all.proto, legacy.proto), every
 * combination of the JSON options, byte for byte; then wire forms other serializers may write
 * (unpacked lists, unknown fields, fields out of order, a field twice, bad bytes), which must come
 * out exactly as {@code JsonFormat} prints what {@code DynamicMessage} parses from them.
 */
class WireJsonTest {
  private static final List<GrpcBackendSpec.Json> OPTIONS = new ArrayList<>();
  private static final String[] STRINGS = {"", "plain", "quote\" back\\slash /", "<b>&amp;='x'</b>",
      "line\u2028para\u2029", "tab\tnl\n\r\b\f\u0001\u001f\u007f", "é 中文 😀", "snake_case_path"};
  private static ProtoSchema schema;
  private static Descriptor everything;
  private static Descriptor old;

  @BeforeAll
  static void load() throws Exception {
    Path dir = Path.of(WireJsonTest.class.getResource("/dev/ficus/grpc/wirejson/all.proto").toURI()).getParent();
    ProtoSchema all = ProtoTextLoader.load(dir.resolve("all.proto"), List.of(dir), dir);
    ProtoSchema legacy = ProtoTextLoader.load(dir.resolve("legacy.proto"), List.of(dir), dir);
    List<com.google.protobuf.Descriptors.FileDescriptor> files = new ArrayList<>(all.files());
    files.addAll(legacy.files());
    schema = ProtoSchema.of(List.of(), files, java.util.Map.of());
    everything = schema.types().find("wirejson.v1.Everything");
    old = schema.types().find("wirejson.legacy.Old");
    for (int i = 0; i < 8; i++) {
      OPTIONS.add(new GrpcBackendSpec.Json((i & 1) != 0, (i & 2) != 0, (i & 4) != 0));
    }
  }

  @Test
  void randomMessagesPrintExactlyAsJsonFormatWithEveryOption() throws Exception {
    Random random = new Random(20261128);
    int irregular = 0;
    for (int i = 0; i < 600; i++) {
      DynamicMessage m = new Generator(random).message(everything, 0);
      byte[] wire = m.toByteArray();
      for (GrpcBackendSpec.Json o : OPTIONS) {
        String expected = jsonFormat(everything, o, wire);
        WireJson writer = WireJson.forType(everything, schema.types(), o);
        try {
          assertThat(new String(writer.write(wire), StandardCharsets.UTF_8)).as("message %d, %s", i, o)
              .isEqualTo(expected);
        } catch (WireJson.Irregular e) {
          irregular++;
        }
        assertThat(new ResponseTranslator(everything, null, schema.types(), o).json(wire)).isEqualTo(expected);
      }
    }
    // Canonical bytes from protobuf-java are always written directly (only bad data falls back).
    assertThat(irregular).isZero();
  }

  @Test
  void proto2MessagesWithDefaultsAndClosedEnums() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      DynamicMessage m = new Generator(random).message(old, 0);
      byte[] wire = m.toByteArray();
      for (GrpcBackendSpec.Json o : OPTIONS) {
        assertThat(new String(WireJson.forType(old, schema.types(), o).write(wire), StandardCharsets.UTF_8))
            .isEqualTo(jsonFormat(old, o, wire));
      }
    }
  }

  @Test
  void otherWireFormsComeOutAsDynamicMessageReadsThem() throws Exception {
    Random random = new Random(11);
    GrpcBackendSpec.Json o = new GrpcBackendSpec.Json(false, false, false);
    ResponseTranslator translator = new ResponseTranslator(everything, null, schema.types(), o);
    WireJson writer = WireJson.forType(everything, schema.types(), o);
    int direct = 0;
    int general = 0;
    for (int i = 0; i < 300; i++) {
      byte[] canonical = new Generator(random).message(everything, 0).toByteArray();
      List<byte[]> fields = topLevelFields(canonical);
      List<byte[]> variants = new ArrayList<>();
      variants.add(withUnknownFields(fields));
      List<byte[]> reversed = new ArrayList<>(fields);
      Collections.reverse(reversed);
      variants.add(concat(reversed));
      if (!fields.isEmpty()) {
        List<byte[]> twice = new ArrayList<>(fields);
        twice.add(fields.get(random.nextInt(fields.size())));
        variants.add(concat(twice));
      }
      for (byte[] v : variants) {
        String expected = jsonFormat(everything, o, v);
        assertThat(translator.json(v)).isEqualTo(expected);
        try {
          writer.write(v);
          direct++;
        } catch (WireJson.Irregular e) {
          general++;
        }
      }
    }
    // Unknown fields are skipped on the direct path; reordered and repeated fields take the other.
    assertThat(direct).isGreaterThan(300);
    assertThat(general).isGreaterThan(100);
  }

  @Test
  void unpackedAndPackedListsAreBothRead() throws Exception {
    Descriptor lists = schema.types().find("wirejson.v1.Lists");
    FieldDescriptor i32 = lists.findFieldByName("i32");
    FieldDescriptor si64 = lists.findFieldByName("si64");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    // i32 is packed by default in proto3; send it unpacked, and si64 (declared unpacked) packed,
    // then a second packed run of i32 and an empty one.
    out.writeInt32(5, 1);
    out.writeInt32(5, -2);
    out.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(1);
    out.writeInt32NoTag(3);
    out.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(0);
    out.writeTag(18, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(CodedOutputStream.computeSInt64SizeNoTag(-5) + CodedOutputStream.computeSInt64SizeNoTag(6));
    out.writeSInt64NoTag(-5);
    out.writeSInt64NoTag(6);
    out.flush();
    byte[] wire = bytes.toByteArray();
    GrpcBackendSpec.Json o = new GrpcBackendSpec.Json(false, false, false);
    String json = new String(WireJson.forType(lists, schema.types(), o).write(wire), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"i32\":[1,-2,3],\"si64\":[\"-5\",\"6\"]}").isEqualTo(jsonFormat(lists, o, wire));
    assertThat(i32.isPacked()).isTrue();
    assertThat(si64.isPacked()).isFalse();
  }

  @Test
  void badBytesAreLeftToTheGeneralPathWhichRejectsThem() throws Exception {
    GrpcBackendSpec.Json o = new GrpcBackendSpec.Json(false, false, false);
    WireJson writer = WireJson.forType(everything, schema.types(), o);
    ResponseTranslator translator = new ResponseTranslator(everything, null, schema.types(), o);
    byte[] canonical = new Generator(new Random(3)).message(everything, 0).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(canonical, canonical.length - 1);
    byte[] badUtf8 = {0x0a, 0x02, (byte) 0xc3, 0x28};   // name = C3 28: not UTF-8
    byte[] badTag = {0x00, 0x01};
    for (byte[] bad : List.of(truncated, badUtf8, badTag)) {
      assertThatThrownBy(() -> writer.write(bad)).isInstanceOf(WireJson.Irregular.class);
      assertThatThrownBy(() -> DynamicMessage.parseFrom(everything, bad))
          .isInstanceOf(InvalidProtocolBufferException.class);
      assertThatThrownBy(() -> translator.json(bad)).isInstanceOf(InvalidProtocolBufferException.class);
    }
  }

  @Test
  void anUnknownValueOfAClosedEnumIsDroppedAsDynamicMessageDoes() throws Exception {
    GrpcBackendSpec.Json o = new GrpcBackendSpec.Json(false, false, false);
    byte[] wire = {0x18, 0x09, 0x20, 0x01, 0x20, 0x05};   // level = 9, levels = [LOW, 5]
    assertThatThrownBy(() -> WireJson.forType(old, schema.types(), o).write(wire))
        .isInstanceOf(WireJson.Irregular.class);
    assertThat(new ResponseTranslator(old, null, schema.types(), o).json(wire))
        .isEqualTo("{\"levels\":[\"LOW\"]}").isEqualTo(jsonFormat(old, o, wire));
  }

  @Test
  void mapKeysRepeatedOnTheWireKeepTheLastValueOnce() throws Exception {
    Descriptor maps = schema.types().find("wirejson.v1.Maps");
    FieldDescriptor ss = maps.findFieldByName("ss");
    Descriptor entry = ss.getMessageType();
    DynamicMessage.Builder b = DynamicMessage.newBuilder(maps);
    for (String[] kv : new String[][] {{"a", "1"}, {"b", "2"}, {"a", "3"}}) {
      b.addRepeatedField(ss, DynamicMessage.newBuilder(entry).setField(entry.findFieldByNumber(1), kv[0])
          .setField(entry.findFieldByNumber(2), kv[1]).build());
    }
    // An entry without its value (the value is the default).
    b.addRepeatedField(ss, DynamicMessage.newBuilder(entry).setField(entry.findFieldByNumber(1), "c").build());
    byte[] wire = b.build().toByteArray();
    GrpcBackendSpec.Json o = new GrpcBackendSpec.Json(false, false, false);
    assertThatThrownBy(() -> WireJson.forType(maps, schema.types(), o).write(wire))
        .isInstanceOf(WireJson.Irregular.class);
    assertThat(new ResponseTranslator(maps, null, schema.types(), o).json(wire))
        .isEqualTo("{\"ss\":{\"a\":\"3\",\"b\":\"2\",\"c\":\"\"}}");
  }

  @Test
  void aValueOfNaNIsAnError() throws Exception {
    Descriptor wkt = schema.types().find("wirejson.v1.WellKnown");
    FieldDescriptor valueField = wkt.findFieldByName("value");
    Descriptor value = valueField.getMessageType();
    byte[] wire = DynamicMessage.newBuilder(wkt).setField(valueField, DynamicMessage.newBuilder(value)
        .setField(value.findFieldByName("number_value"), Double.NaN).build()).build().toByteArray();
    GrpcBackendSpec.Json o = new GrpcBackendSpec.Json(false, false, false);
    assertThatThrownBy(() -> WireJson.forType(wkt, schema.types(), o).write(wire))
        .isInstanceOf(WireJson.Irregular.class);
    assertThatThrownBy(() -> new ResponseTranslator(wkt, null, schema.types(), o).json(wire))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("infinity or nan");
  }

  @Test
  void typesWithGroupsOrRequiredFieldsTakeTheGeneralPath() throws Exception {
    GrpcBackendSpec.Json o = new GrpcBackendSpec.Json(false, false, false);
    for (String t : List.of("wirejson.legacy.WithRequired", "wirejson.legacy.HoldsRequired")) {
      assertThat(WireJson.forType(schema.types().find(t), schema.types(), o)).as(t).isNull();
    }
    // A proto2 group (as a descriptor set or reflection can deliver it).
    DescriptorProtos.FileDescriptorProto file = DescriptorProtos.FileDescriptorProto.newBuilder()
        .setName("group.proto").setPackage("g").setSyntax("proto2")
        .addMessageType(DescriptorProtos.DescriptorProto.newBuilder().setName("WithGroup")
            .addField(DescriptorProtos.FieldDescriptorProto.newBuilder().setName("part").setNumber(1)
                .setLabel(DescriptorProtos.FieldDescriptorProto.Label.LABEL_OPTIONAL)
                .setType(DescriptorProtos.FieldDescriptorProto.Type.TYPE_GROUP).setTypeName(".g.WithGroup.Part"))
            .addNestedType(DescriptorProtos.DescriptorProto.newBuilder().setName("Part")
                .addField(DescriptorProtos.FieldDescriptorProto.newBuilder().setName("x").setNumber(2)
                    .setLabel(DescriptorProtos.FieldDescriptorProto.Label.LABEL_OPTIONAL)
                    .setType(DescriptorProtos.FieldDescriptorProto.Type.TYPE_INT32))))
        .build();
    Descriptor withGroup = com.google.protobuf.Descriptors.FileDescriptor
        .buildFrom(file, new com.google.protobuf.Descriptors.FileDescriptor[0]).findMessageTypeByName("WithGroup");
    assertThat(WireJson.forType(withGroup, schema.types(), o)).isNull();
    byte[] wire = {0x0b, 0x10, 0x05, 0x0c};   // part { x: 5 }
    assertThat(new ResponseTranslator(withGroup, null, schema.types(), o).json(wire)).isEqualTo("{\"part\":{\"x\":5}}");
    assertThat(WireJson.forType(old, schema.types(), o)).isNotNull();
  }

  @Test
  void anAnyOfAnUnknownTypeIsAnError() throws Exception {
    Descriptor wkt = schema.types().find("wirejson.v1.WellKnown");
    FieldDescriptor anyField = wkt.findFieldByName("any");
    Descriptor any = anyField.getMessageType();
    DynamicMessage bad = DynamicMessage.newBuilder(wkt).setField(anyField, DynamicMessage.newBuilder(any)
        .setField(any.findFieldByName("type_url"), "type.googleapis.com/no.such.Type").build()).build();
    GrpcBackendSpec.Json o = new GrpcBackendSpec.Json(false, false, false);
    assertThatThrownBy(() -> new ResponseTranslator(wkt, null, schema.types(), o).json(bad.toByteArray()))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("no.such.Type");
  }

  @Test
  void responseBodyGivesTheFieldAsTheFullMessageDoes() throws Exception {
    Random random = new Random(5);
    com.fasterxml.jackson.databind.ObjectMapper plain = new com.fasterxml.jackson.databind.ObjectMapper();
    for (GrpcBackendSpec.Json o : OPTIONS) {
      for (String name : List.of("name", "scalars", "lists", "wkt", "choice_s", "choice_msg", "children", "far")) {
        FieldDescriptor f = everything.findFieldByName(name);
        ResponseTranslator t = new ResponseTranslator(everything, f, schema.types(), o);
        JsonFormat.Printer withField = o.emitDefaults() ? ResponseTranslator.printer(schema.types(), o)
            : ResponseTranslator.printer(schema.types(), o).includingDefaultValueFields(java.util.Set.of(f));
        for (int i = 0; i < 25; i++) {
          byte[] wire = new Generator(random).message(everything, 0).toByteArray();
          JsonNode whole = plain.readTree(withField.print(DynamicMessage.parseFrom(everything, wire)));
          JsonNode expected = whole.get(o.originalNames() ? f.getName() : f.getJsonName());
          if (f.isRepeated()) {
            // Each element as the plain printer gives it (told to include "children", JsonFormat
            // would also add "children":[] inside every element).
            com.fasterxml.jackson.databind.node.ArrayNode list = plain.createArrayNode();
            for (Object e : (List<?>) DynamicMessage.parseFrom(everything, wire).getField(f)) {
              list.add(plain.readTree(ResponseTranslator.printer(schema.types(), o).print((Message) e)));
            }
            expected = list;
          } else if (expected == null && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()) {
            // An absent message: JsonFormat prints its default instance.
            expected = plain.readTree(ResponseTranslator.printer(schema.types(), o)
                .print(DynamicMessage.getDefaultInstance(f.getMessageType())));
          } else if (expected == null) {
            // An absent member of a oneof, which JsonFormat leaves out even when told to include it.
            expected = com.fasterxml.jackson.databind.node.NullNode.getInstance();
          }
          assertThat(plain.readTree(t.json(wire))).as("%s, %s", name, o).isEqualTo(expected);
        }
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String jsonFormat(Descriptor type, GrpcBackendSpec.Json o, byte[] wire) throws IOException {
    return ResponseTranslator.printer(schema.types(), o).print(DynamicMessage.parseFrom(type, wire));
  }

  /** Each top-level field of {@code wire} as its own bytes (tag and value). */
  private static List<byte[]> topLevelFields(byte[] wire) throws IOException {
    List<byte[]> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(wire);
    while (!in.isAtEnd()) {
      int start = in.getTotalBytesRead();
      int tag = in.readTag();
      in.skipField(tag);
      out.add(java.util.Arrays.copyOfRange(wire, start, in.getTotalBytesRead()));
    }
    return out;
  }

  private static byte[] withUnknownFields(List<byte[]> fields) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(b);
    int n = 0;
    for (byte[] f : fields) {
      out.writeRawBytes(f);
      switch (n++ % 4) {
        case 0 -> out.writeInt64(4000, -1);
        case 1 -> out.writeString(4001, "unknown");
        case 2 -> out.writeFixed32(4002, 7);
        default -> {
          out.writeTag(4003, WireFormat.WIRETYPE_START_GROUP);
          out.writeFixed64(1, 9);
          out.writeTag(4003, WireFormat.WIRETYPE_END_GROUP);
        }
      }
    }
    out.flush();
    return b.toByteArray();
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    parts.forEach(p -> b.write(p, 0, p.length));
    return b.toByteArray();
  }

  /** Random messages with the values that are hard to print: extremes, NaN, escapes, unknown enum numbers. */
  private static final class Generator {
    private final Random r;

    Generator(Random r) {
      this.r = r;
    }

    DynamicMessage message(Descriptor d, int depth) {
      DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
      switch (d.getFullName()) {
        case "google.protobuf.Timestamp" -> {
          long[] edges = {-62135596800L, 253402300799L, 0, -1, 951782400L /* 2000-02-29 */, -2203891200L /* 1900-03-01 */,
              68169600L /* 1972-02-29 */, 4107542399L /* 2100-02-28T23:59:59 */, -12219292800L /* 1582-10-15 */};
          b.setField(d.findFieldByName("seconds"), r.nextInt(3) == 0 ? edges[r.nextInt(edges.length)]
              : r.nextLong(-62135596800L, 253402300800L));
          b.setField(d.findFieldByName("nanos"), nanos());
          return b.build();
        }
        case "google.protobuf.Duration" -> {
          long s = r.nextLong(-315576000000L, 315576000001L);
          int n = nanos();
          b.setField(d.findFieldByName("seconds"), s);
          b.setField(d.findFieldByName("nanos"), s < 0 ? -n : s == 0 && r.nextBoolean() ? -n : n);
          return b.build();
        }
        case "google.protobuf.FieldMask" -> {
          for (int i = r.nextInt(3); i > 0; i--) {
            b.addRepeatedField(d.findFieldByName("paths"), r.nextBoolean() ? "a_b.c_d" : "x");
          }
          return b.build();
        }
        case "google.protobuf.Any" -> {
          String[] types = {"wirejson.v1.Scalars", "wirejson.v1.Lists", "google.protobuf.Timestamp",
              "google.protobuf.Value", "google.protobuf.Int64Value", "google.protobuf.Struct",
              "google.protobuf.Empty", "google.protobuf.Any", "wirejson.v1.Everything"};
          String t = types[r.nextInt(depth > 2 ? 7 : types.length)];
          Descriptor content = schema.types().find(t);
          b.setField(d.findFieldByName("type_url"), "type.googleapis.com/" + t);
          b.setField(d.findFieldByName("value"), message(content, depth + 1).toByteString());
          return b.build();
        }
        case "google.protobuf.Value" -> {
          int kind = r.nextInt(depth > 3 ? 5 : 7);
          if (kind < 6) {
            String[] names = {"null_value", "number_value", "string_value", "bool_value", "struct_value",
                "list_value"};
            FieldDescriptor f = d.findFieldByName(names[kind]);
            // A Value cannot hold NaN or infinity in JSON (see aValueOfNaNIsAnError).
            b.setField(f, kind == 1 ? r.nextGaussian() * 1e6 : value(f, depth));
          }
          return b.build();
        }
        default -> { }
      }
      if (depth > 4) {
        return b.build();
      }
      java.util.Set<com.google.protobuf.Descriptors.OneofDescriptor> oneofs = new java.util.HashSet<>();
      for (FieldDescriptor f : d.getFields()) {
        if (r.nextInt(10) < 3) {
          continue;
        }
        if (f.getRealContainingOneof() != null && !oneofs.add(f.getRealContainingOneof())) {
          continue;
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField() && depth >= 3
            && f.getMessageType().getFullName().startsWith("wirejson.")) {
          continue;
        }
        if (f.isMapField()) {
          // Serializers write a map's keys once each (a repeated key: see mapKeysRepeatedOnTheWire).
          java.util.Set<Object> keys = new java.util.HashSet<>();
          for (int i = r.nextInt(4); i > 0; i--) {
            Message e = entry(f, depth);
            if (keys.add(e.getField(f.getMessageType().findFieldByNumber(1)))) {
              b.addRepeatedField(f, e);
            }
          }
        } else if (f.isRepeated()) {
          for (int i = r.nextInt(4); i > 0; i--) {
            b.addRepeatedField(f, value(f, depth));
          }
        } else {
          b.setField(f, value(f, depth));
        }
      }
      return b.build();
    }

    private Message entry(FieldDescriptor f, int depth) {
      Descriptor e = f.getMessageType();
      DynamicMessage.Builder b = DynamicMessage.newBuilder(e);
      b.setField(e.findFieldByNumber(1), value(e.findFieldByNumber(1), depth));
      b.setField(e.findFieldByNumber(2), value(e.findFieldByNumber(2), depth));
      return b.build();
    }

    private int nanos() {
      return switch (r.nextInt(4)) {
        case 0 -> 0;
        case 1 -> r.nextInt(1000) * 1_000_000;
        case 2 -> r.nextInt(1_000_000) * 1000;
        default -> r.nextInt(1_000_000_000);
      };
    }

    private Object value(FieldDescriptor f, int depth) {
      return switch (f.getJavaType()) {
        case INT -> pick(new Integer[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, r.nextInt()});
        case LONG -> pick(new Long[] {0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, r.nextLong(),
            (long) r.nextInt(1000)});
        case FLOAT -> pick(new Float[] {0f, -0f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, Float.MAX_VALUE, 1e10f, r.nextFloat() * 1000 - 500});
        case DOUBLE -> pick(new Double[] {0d, -0d, 2.25, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -1.7e308, 1e21, 1e-7, r.nextGaussian() * 1e6});
        case BOOLEAN -> r.nextBoolean();
        case STRING -> r.nextInt(4) == 0 ? Long.toString(r.nextLong(), 36) : pick(STRINGS);
        case BYTE_STRING -> {
          byte[] b = new byte[r.nextInt(8)];
          r.nextBytes(b);
          yield ByteString.copyFrom(b);
        }
        case ENUM -> {
          EnumDescriptor e = f.getEnumType();
          int i = r.nextInt(e.getValues().size() + 1);
          yield i < e.getValues().size() || e.isClosed() ? e.getValues().get(i % e.getValues().size())
              : e.findValueByNumberCreatingIfUnknown(99);
        }
        case MESSAGE -> message(f.getMessageType(), depth + 1);
      };
    }

    private <T> T pick(T[] values) {
      return values[r.nextInt(values.length)];
    }
  }
}
