package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.ficus.error.GatewayException;
import dev.ficus.testing.HostileJson;
import io.undertow.util.HeaderMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fuzz of JSON → protobuf: hostile bodies for {@code wirejson.v1.Everything} (every field kind,
 * maps, oneofs, the well-known types, recursion), generated along the descriptor so that they
 * reach protobuf-java-util's parser, with numbers of every size in number and string form.
 * Each body becomes a message or the gateway's own 400 within {@link HostileJson#BOUND}. Fixed
 * seed, bounded tries (raise {@code tries} locally to search).
 */
class JsonToProtobufFuzzTest {
  private static final ProtoSchema SCHEMA = load();
  private static final Descriptor EVERYTHING = SCHEMA.types().find("wirejson.v1.Everything");
  private static final RequestTranslator STRICT = translator(true);
  private static final RequestTranslator LENIENT = translator(false);
  private static final RequestTranslator.Inputs NO_INPUTS =
      new RequestTranslator.Inputs(new String[0], Map.of(), new HeaderMap());

  static {
    // Class loading and the first run of the protobuf parser take most of a second: not the input's cost.
    STRICT.build(NO_INPUTS, "{\"name\":\"warm\",\"scalars\":{\"d\":1.5}}".getBytes(StandardCharsets.UTF_8),
        "application/json");
  }

  private static ProtoSchema load() {
    try {
      Path dir = Path.of(JsonToProtobufFuzzTest.class.getResource("/dev/ficus/grpc/wirejson/all.proto").toURI())
          .getParent();
      return ProtoTextLoader.load(dir.resolve("all.proto"), List.of(dir), dir);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static RequestTranslator translator(boolean rejectUnknown) {
    return new RequestTranslator(EVERYTHING, List.of(), RequestTranslator.BodyKind.WHOLE, null, List.of(), List.of(),
        SCHEMA.types(), rejectUnknown);
  }

  @Provide
  Arbitrary<String> bodies() {
    return message(EVERYTHING, 2);
  }

  /** Built once per type and depth: jqwik memoizes generators by arbitrary, and the walk is recursive. */
  private static final Map<String, Arbitrary<String>> MADE = new java.util.concurrent.ConcurrentHashMap<>();

  private static Arbitrary<String> message(Descriptor d, int depth) {
    String key = d.getFullName() + "@" + depth;
    Arbitrary<String> a = MADE.get(key);
    if (a == null) {
      a = buildMessage(d, depth);
      MADE.put(key, a);
    }
    return a;
  }

  private static Arbitrary<String> buildMessage(Descriptor d, int depth) {
    List<FieldDescriptor> fields = d.getFields();
    if (fields.isEmpty() || depth <= 0) {
      return Arbitraries.of("{}", "null");
    }
    List<Arbitrary<Map.Entry<String, String>>> members = new ArrayList<>();
    for (FieldDescriptor f : fields) {
      members.add(Combinators.combine(Arbitraries.of(f.getJsonName(), f.getName()),
          Arbitraries.lazy(() -> value(f, depth))).as(Map::entry));
    }
    return Arbitraries.oneOf(members).list().ofMaxSize(5).map(l -> {
      Map<String, String> m = new java.util.LinkedHashMap<>();
      l.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
      return HostileJson.object(m);
    });
  }

  /** A value for field {@code f}: mostly of its kind, sometimes anything. */
  private static Arbitrary<String> value(FieldDescriptor f, int depth) {
    Arbitrary<String> fitting;
    if (f.isMapField()) {
      FieldDescriptor key = f.getMessageType().findFieldByNumber(1);
      FieldDescriptor val = f.getMessageType().findFieldByNumber(2);
      Arbitrary<String> keys = TextValues.isNumeric(key.getType()) ? HostileJson.numberLiterals()
          : Arbitraries.strings().ofMaxLength(6);
      fitting = Combinators.combine(keys, single(val, depth - 1)).as((k, v) -> HostileJson.quote(k) + ":" + v)
          .list().ofMaxSize(3).map(l -> "{" + String.join(",", l) + "}");
    } else if (f.isRepeated()) {
      fitting = single(f, depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
    } else {
      fitting = single(f, depth - 1);
    }
    return Arbitraries.frequencyOf(Tuple.of(9, fitting), Tuple.of(1, HostileJson.values(List.of("seconds",
        "value", "@type", "name"), 1)));
  }

  private static Arbitrary<String> single(FieldDescriptor f, int depth) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      String n = f.getMessageType().getFullName();
      if (TextValues.WRAPPERS.contains(n)) {
        return single(f.getMessageType().findFieldByName("value"), depth);
      }
      if (n.startsWith("google.protobuf.")) {
        return HostileJson.values(List.of("@type", "value", "a", "seconds"), 2);
      }
      return message(f.getMessageType(), depth);
    }
    if (TextValues.isNumeric(f.getType())) {
      return Arbitraries.frequencyOf(Tuple.of(3, HostileJson.numberLiterals()),
          Tuple.of(2, HostileJson.numberLiterals().map(HostileJson::quote)),
          Tuple.of(2, HostileJson.hugeMagnitudes()), Tuple.of(1, HostileJson.hugeMagnitudes().map(HostileJson::quote)),
          Tuple.of(1, Arbitraries.of("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "-0.0", "\"-0\"")));
    }
    return switch (f.getJavaType()) {
      case BOOLEAN -> Arbitraries.of("true", "false", "\"true\"", "0");
      case ENUM -> Arbitraries.oneOf(Arbitraries.of(f.getEnumType().getValues()).map(v -> HostileJson.quote(v.getName())),
          HostileJson.numberLiterals());
      default -> HostileJson.stringLiterals();
    };
  }

  // No edge cases: combining them along a recursive descriptor costs seconds, and the number
  // generators already favour the extremes.
  @Property(tries = 300, seed = "20261207", edgeCases = EdgeCasesMode.NONE)
  void everyBodyBecomesAMessageOrA400Quickly(@ForAll("bodies") String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (RequestTranslator t : List.of(STRICT, LENIENT)) {
      DynamicMessage m = HostileJson.answersWithinTheBound(body, () -> {
        try {
          return t.build(NO_INPUTS, bytes, "application/json");
        } catch (GatewayException e) {
          assertThat(e.error().status()).as(e.error().detail()).isEqualTo(400);
          throw e;
        }
      }, GatewayException.class);
      if (m != null) {
        assertThat(m.getDescriptorForType()).isEqualTo(EVERYTHING);
      }
    }
  }
}
