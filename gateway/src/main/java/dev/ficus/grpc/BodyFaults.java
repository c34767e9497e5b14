package dev.ficus.grpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.Problems;
import dev.ficus.error.GatewayError.FieldError;
import dev.ficus.http.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the members of a proto3 JSON body that protobuf-java-util's parser refuses, once it has
 * refused the body: its exception names no member (a wrong type, an out-of-range int32, an
 * unknown enum name, a number for bytes, a string for a message, an unknown field at any depth
 * all come back as one message about the whole body), and a client needs the JSON pointer of the
 * member at fault ({@code /responseSize}, {@code /payload/bodi}, {@code /items/3}).
 *
 * <p>The walk follows the descriptor through the objects, arrays and maps of the body; each
 * member that is not a message to walk into is handed to the same parser alone, as
 * {@code {"member": value}} in a message of its containing type, so the verdict is the parser's
 * own, whatever it accepts (both field names, numbers as strings, {@code null}). Unknown members
 * are reported here when the parser rejects them, with a suggestion. A refusal that no member
 * causes alone (two members of one oneof) finds nothing; the caller then reports the body as a
 * whole. Only runs on a body that was already refused, so it costs nothing on valid requests;
 * the work is bounded by the body (each member parsed once more). Stateless; thread-safe.
 */
final class BodyFaults {
  private BodyFaults() {}

  /**
   * The faults of {@code text} (one JSON value, syntax checked), the JSON of a {@code type}
   * message; pointers start with {@code prefix}. Empty when no single member is at fault.
   */
  static List<FieldError> ofMessage(String text, Descriptor type, String prefix, JsonFormat.Parser parser,
      boolean rejectUnknown) {
    return walk(text, prefix, parser, rejectUnknown, w -> {
      if (w.p.currentToken() == JsonToken.START_OBJECT && walkable(type)) {
        w.message(type, prefix);
      }
    });
  }

  /**
   * The faults of {@code text}, the JSON of the value of {@code field} of {@code owner} (a body
   * that is one field); pointers start with {@code prefix}.
   */
  static List<FieldError> ofField(String text, Descriptor owner, FieldDescriptor field, String prefix,
      JsonFormat.Parser parser, boolean rejectUnknown) {
    return walk(text, prefix, parser, rejectUnknown, w -> w.member(owner, field, field.getJsonName(), prefix));
  }

  private interface Start {
    void run(Walk w) throws IOException;
  }

  private static List<FieldError> walk(String text, String prefix, JsonFormat.Parser parser, boolean rejectUnknown,
      Start start) {
    List<FieldError> errors = new ArrayList<>();
    try (JsonParser p = Json.MAPPER.createParser(text)) {
      if (p.nextToken() != null) {
        start.run(new Walk(p, parser, rejectUnknown, errors));
      }
    } catch (IOException e) {
      // The syntax was checked before; whatever the walk found so far stands.
    }
    return errors;
  }

  /** A message type whose JSON form is an object of its fields (not a well-known type's own form). */
  private static boolean walkable(Descriptor d) {
    String name = d.getFullName();
    return !TextValues.WRAPPERS.contains(name) && !ProtoJsonNumbers.OPAQUE.contains(name);
  }

  private static boolean walkable(FieldDescriptor f) {
    return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && walkable(f.getMessageType());
  }

  private record Walk(JsonParser p, JsonFormat.Parser parser, boolean rejectUnknown, List<FieldError> errors) {
    /** The object at the current token, a {@code d} message at {@code at}. */
    void message(Descriptor d, String at) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        FieldDescriptor f = FieldPath.field(d, name);
        if (f == null) {
          if (rejectUnknown) {
            List<String> names = new ArrayList<>();
            d.getFields().forEach(x -> names.add(x.getJsonName()));
            errors.add(new FieldError(at + "/" + escape(name),
                d.getFullName() + " has no field '" + name + "'" + Problems.suggestion(name, names)));
          }
          p.skipChildren();
        } else {
          member(d, f, name, at + "/" + escape(name));
        }
      }
    }

    /** The value at the current token of {@code f} (a member of a {@code d} message named {@code name}). */
    void member(Descriptor d, FieldDescriptor f, String name, String at) throws IOException {
      JsonToken t = p.currentToken();
      if (f.isMapField() && t == JsonToken.START_OBJECT) {
        FieldDescriptor value = f.getMessageType().findFieldByNumber(2);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          String kat = at + "/" + escape(key);
          if (walkable(value) && p.currentToken() == JsonToken.START_OBJECT) {
            // The key alone (with an empty value), then the value's members.
            probe(d, "{" + quote(name) + ":{" + quote(key) + ":{}}}", kat);
            message(value.getMessageType(), kat);
          } else {
            probe(d, "{" + quote(name) + ":{" + quote(key) + ":" + copy() + "}}", kat);
          }
        }
      } else if (f.isRepeated() && !f.isMapField() && t == JsonToken.START_ARRAY) {
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String iat = at + "/" + i++;
          if (walkable(f) && p.currentToken() == JsonToken.START_OBJECT) {
            message(f.getMessageType(), iat);
          } else {
            probe(d, "{" + quote(name) + ":[" + copy() + "]}", iat);
          }
        }
      } else if (!f.isRepeated() && walkable(f) && t == JsonToken.START_OBJECT) {
        message(f.getMessageType(), at);
      } else {
        probe(d, "{" + quote(name) + ":" + copy() + "}", at);
      }
    }

    /** Parses {@code json} as a {@code d} message; a refusal is a fault at {@code at}. */
    private void probe(Descriptor d, String json, String at) {
      try {
        parser.merge(json, DynamicMessage.newBuilder(d));
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        errors.add(new FieldError(at.isEmpty() ? "/" : at, e.getMessage() == null ? "it does not fit "
            + d.getFullName() : e.getMessage()));
      }
    }

    /** The JSON text of the value at the current token, numbers exactly as written. */
    private String copy() throws IOException {
      StringWriter out = new StringWriter();
      try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
        int depth = 0;
        do {
          JsonToken t = p.currentToken();
          switch (t) {
            case START_OBJECT -> { g.writeStartObject(); depth++; }
            case START_ARRAY -> { g.writeStartArray(); depth++; }
            case END_OBJECT -> { g.writeEndObject(); depth--; }
            case END_ARRAY -> { g.writeEndArray(); depth--; }
            case FIELD_NAME -> g.writeFieldName(p.currentName());
            case VALUE_STRING -> g.writeString(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
            case VALUE_TRUE, VALUE_FALSE -> g.writeBoolean(t == JsonToken.VALUE_TRUE);
            default -> g.writeNull();
          }
        } while (depth > 0 && p.nextToken() != null);
      }
      return out.toString();
    }

    private static String quote(String s) {
      try {
        return Json.MAPPER.writeValueAsString(s);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** RFC 6901: {@code ~} and {@code /} in a member name. */
    private static String escape(String name) {
      return name.replace("~", "~0").replace("/", "~1");
    }
  }
}
