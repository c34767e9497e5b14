package dev.ficus.soap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.config.Specs.SourceKind;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayError.FieldError;
import dev.ficus.error.GatewayException;
import dev.ficus.http.NumberBounds;
import dev.ficus.xml.SimpleKind;
import dev.ficus.xml.XsdSimpleType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * How the request JSON for the backend is assembled from the HTTP request: the body (at the
 * root or at a path) plus values from path variables, query parameters and headers, each
 * converted to JSON by the XSD type of the element it fills. Compiled from the mapping's
 * {@code request:} section; immutable and thread-safe.
 */
public final class RequestPlan {
  private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

  /** One value to place: {@code target} member path, where it comes from, its type. */
  record Step(List<String> target, SourceKind source, List<String> sourcePath, XsdSimpleType type, boolean array,
      boolean required) {}

  private final boolean bodyAtRoot;
  private final List<Step> steps;
  private final boolean usesBody;
  /** What the built JSON starts from when the body is not at its root (static values); never changed. */
  private final ObjectNode base;

  RequestPlan(boolean bodyAtRoot, List<Step> steps) {
    this(bodyAtRoot, steps, F.objectNode());
  }

  /** @param base the members every request starts with (copied per request); used when the body is not at the root */
  RequestPlan(boolean bodyAtRoot, List<Step> steps, ObjectNode base) {
    this.base = base.deepCopy();
    this.bodyAtRoot = bodyAtRoot;
    this.steps = List.copyOf(steps);
    boolean b = bodyAtRoot;
    for (Step s : steps) {
      b |= s.source() == SourceKind.BODY;
    }
    this.usesBody = b;
  }

  /** Whether the operation reads a JSON request body. */
  public boolean usesBody() {
    return usesBody;
  }

  /** The values of one HTTP request that the plan draws from. */
  public interface Inputs {
    String path(String name);

    Deque<String> query(String name);

    List<String> header(String lowerCaseName);
  }

  /** Builds the request JSON; throws a 400 listing every parameter that does not convert. */
  public JsonNode build(JsonNode body, Inputs in) {
    List<FieldError> errors = new ArrayList<>();
    ObjectNode root;
    if (bodyAtRoot) {
      if (body == null || body.isNull() || body.isMissingNode()) {
        root = F.objectNode();
      } else if (body instanceof ObjectNode o) {
        root = o;
      } else {
        throw new GatewayException(GatewayError.invalid("The request body must be a JSON object",
            List.of(new FieldError("", "expected a JSON object"))));
      }
    } else {
      root = base.isEmpty() ? F.objectNode() : base.deepCopy();
    }
    for (Step s : steps) {
      JsonNode value = switch (s.source()) {
        case BODY -> select(body, s.sourcePath());
        case PATH -> convert(s, in.path(s.sourcePath().get(0)), "path:" + s.sourcePath().get(0), errors);
        case QUERY -> values(s, in.query(s.sourcePath().get(0)), "query:" + s.sourcePath().get(0), errors);
        case HEADER -> values(s, in.header(s.sourcePath().get(0)), "header:" + s.sourcePath().get(0), errors);
      };
      if (value != null) {
        put(root, s.target(), value);
      } else if (s.required() && !given(s, in) && !has(root, s.target())) {
        String where = s.source().name().toLowerCase(java.util.Locale.ROOT) + ":" + s.sourcePath().get(0);
        errors.add(new FieldError(where, "is required (" + (s.type() == null ? "a value" : s.type().describe()) + ")"));
      }
    }
    if (!errors.isEmpty()) {
      throw new GatewayException(GatewayError.invalid(
          errors.size() == 1 ? "Invalid " + errors.get(0).pointer().replace(':', ' ') + ": " + errors.get(0).detail()
              : "Invalid request parameters", errors));
    }
    return root;
  }

  private static JsonNode select(JsonNode body, List<String> path) {
    JsonNode n = body;
    for (String p : path) {
      if (n == null) {
        return null;
      }
      n = n.get(p);
    }
    return n;
  }

  /** Whether the request carries the step's source at all (converted or not). */
  private static boolean given(Step s, Inputs in) {
    String name = s.sourcePath().isEmpty() ? null : s.sourcePath().get(0);
    return switch (s.source()) {
      case BODY -> true;
      case PATH -> in.path(name) != null;
      case QUERY -> in.query(name) != null && !in.query(name).isEmpty();
      case HEADER -> in.header(name) != null && !in.header(name).isEmpty();
    };
  }

  private static boolean has(JsonNode root, List<String> target) {
    JsonNode n = root;
    for (String t : target) {
      n = n == null ? null : n.get(t);
    }
    return n != null && !n.isNull();
  }

  private static void put(ObjectNode root, List<String> target, JsonNode value) {
    if (target.isEmpty()) {
      if (value instanceof ObjectNode o) {
        root.setAll(o);
      }
      return;
    }
    ObjectNode n = root;
    for (int i = 0; i < target.size() - 1; i++) {
      JsonNode child = n.get(target.get(i));
      if (!(child instanceof ObjectNode)) {
        child = n.putObject(target.get(i));
      }
      n = (ObjectNode) child;
    }
    n.set(target.get(target.size() - 1), value);
  }

  private static JsonNode values(Step s, java.util.Collection<String> raw, String where, List<FieldError> errors) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (s.array()) {
      ArrayNode a = F.arrayNode();
      for (String v : raw) {
        JsonNode c = convert(s, v, where, errors);
        if (c != null) {
          a.add(c);
        }
      }
      return a;
    }
    if (raw.size() > 1) {
      errors.add(new FieldError(where, "given " + raw.size() + " times; it takes one value"));
      return null;
    }
    return convert(s, raw.iterator().next(), where, errors);
  }

  /** Converts a text parameter to the JSON its XSD type expects (numbers, booleans, lists). */
  static JsonNode convert(Step s, String text, String where, List<FieldError> errors) {
    if (text == null) {
      return null;
    }
    XsdSimpleType t = s.type();
    if (t == null) {
      errors.add(new FieldError(where, "fills an element of complex type, which a single value cannot"));
      return null;
    }
    if (t.isList()) {
      ArrayNode a = F.arrayNode();
      for (String item : text.trim().split("[\\s,]+")) {
        if (!item.isEmpty()) {
          JsonNode c = scalar(t.listItem(), item, where, errors);
          if (c != null) {
            a.add(c);
          }
        }
      }
      return dev.ficus.xml.JsonToXml.simpleText(t, a, where, errors) == null ? null : a;
    }
    JsonNode v = scalar(t, text, where, errors);
    if (v != null && dev.ficus.xml.JsonToXml.simpleText(t, v, where, errors) == null) {
      return null;
    }
    return v;
  }

  private static JsonNode scalar(XsdSimpleType t, String text, String where, List<FieldError> errors) {
    SimpleKind k = t.kind();
    if (k.json() == SimpleKind.Json.INTEGER || k.json() == SimpleKind.Json.DECIMAL
        || k.json() == SimpleKind.Json.FLOAT) {
      String problem = NumberBounds.literalProblem(text);
      if (problem != null) {
        errors.add(new FieldError(where, problem));
        return null;
      }
    }
    try {
      return switch (k.json()) {
        case STRING -> F.textNode(text);
        case BOOLEAN -> switch (text) {
          case "true" -> F.booleanNode(true);
          case "false" -> F.booleanNode(false);
          default -> throw new NumberFormatException();
        };
        case INTEGER -> F.numberNode(new BigInteger(text.trim()));
        case DECIMAL -> F.numberNode(new BigDecimal(text.trim()));
        case FLOAT -> floating(text.trim());
      };
    } catch (NumberFormatException e) {
      errors.add(new FieldError(where, "expected " + t.describe() + ", got '" + text + "'"));
      return null;
    }
  }

  /** An xs:double/xs:float text as a number; throws NumberFormatException when it is not one. */
  private static JsonNode floating(String text) {
    BigDecimal d = new BigDecimal(text);
    // A BigDecimal has no -0: a negative zero stays the double it is, sign and all.
    return d.signum() == 0 && dev.ficus.http.NegativeZeros.isNegativeZero(text) ? F.numberNode(-0.0) : F.numberNode(d);
  }

  /** For diagnostics: the targets this plan fills. */
  Map<List<String>, SourceKind> targets() {
    java.util.LinkedHashMap<List<String>, SourceKind> m = new java.util.LinkedHashMap<>();
    steps.forEach(s -> m.put(s.target(), s.source()));
    return m;
  }
}
