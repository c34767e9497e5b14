package dev.ficus.grpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.ficus.error.GatewayError.FieldError;
import dev.ficus.http.Json;
import dev.ficus.http.NumberBounds;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Checks every number of a proto3 JSON body against {@link NumberBounds} before
 * protobuf-java-util reads it, so that gRPC routes hold the same bounds as SOAP routes and say
 * which member is at fault ({@code /many/1}, not the parser's whole-body message). The parser of
 * protobuf-java-util 4.x refuses {@code 1e999999999} for every numeric type cheaply today; this
 * check does not depend on that staying so (its uint64 path goes through {@code BigDecimal}).
 * JSON number tokens are checked wherever they are; strings only in the numeric fields, map keys
 * and wrappers of the message type (a string field may hold any text). A number given for a
 * bytes field is refused here too: proto3 JSON takes bytes as a base64 string, and the parser
 * would decode the number's digits as base64.
 *
 * <p>One streaming pass over text already checked for syntax; the walk follows the descriptor
 * (nesting is bounded by the JSON parser's depth limit). Stateless; thread-safe.
 */
final class ProtoJsonNumbers {
  /** Well-known types whose JSON form is not their fields: their numbers are doubles or none. */
  static final Set<String> OPAQUE = Set.of("google.protobuf.Struct", "google.protobuf.Value",
      "google.protobuf.ListValue", "google.protobuf.Any", "google.protobuf.Timestamp", "google.protobuf.Duration",
      "google.protobuf.FieldMask", "google.protobuf.Empty");

  private ProtoJsonNumbers() {}

  /**
   * Adds a {@link FieldError} (pointer {@code prefix} + the member's) for each number out of
   * bounds in {@code text}, the JSON of a {@code type} message, or of one value of {@code field}
   * when {@code type} is null.
   */
  static void check(String text, Descriptor type, FieldDescriptor field, String prefix, List<FieldError> errors) {
    try (JsonParser p = Json.MAPPER.createParser(text)) {
      if (p.nextToken() == null) {
        return;
      }
      new Walk(p, prefix, errors).start(type, field);
    } catch (IOException e) {
      // Syntax was checked before; the protobuf parser reports whatever is left.
    }
  }

  private record Walk(JsonParser p, String prefix, List<FieldError> errors) {
    void start(Descriptor type, FieldDescriptor field) throws IOException {
      if (type != null) {
        message(type);
      } else {
        value(field);
      }
    }

    /** The value at the current token of a message of type {@code d}. */
    private void message(Descriptor d) throws IOException {
      String name = d.getFullName();
      if (TextValues.WRAPPERS.contains(name)) {
        // A wrapper's JSON is its value's.
        single(d.findFieldByName("value"));
        return;
      }
      if (p.currentToken() != JsonToken.START_OBJECT || OPAQUE.contains(name)) {
        any();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String member = p.currentName();
        FieldDescriptor f = d.findFieldByName(member);
        if (f == null) {
          f = byJsonName(d, member);
        }
        p.nextToken();
        if (f == null) {
          any();
        } else {
          value(f);
        }
      }
    }

    private static FieldDescriptor byJsonName(Descriptor d, String json) {
      for (FieldDescriptor f : d.getFields()) {
        if (f.getJsonName().equals(json)) {
          return f;
        }
      }
      return null;
    }

    /** The value at the current token of field {@code f}: a map, a list or one value. */
    private void value(FieldDescriptor f) throws IOException {
      if (f.isMapField() && p.currentToken() == JsonToken.START_OBJECT) {
        FieldDescriptor key = f.getMessageType().findFieldByNumber(1);
        FieldDescriptor val = f.getMessageType().findFieldByNumber(2);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          if (TextValues.isNumeric(key.getType())) {
            bound(NumberBounds.literalProblem(p.currentName()));
          }
          p.nextToken();
          single(val);
        }
      } else if (f.isRepeated() && p.currentToken() == JsonToken.START_ARRAY) {
        while (p.nextToken() != JsonToken.END_ARRAY) {
          single(f);
        }
      } else {
        single(f);
      }
    }

    private void single(FieldDescriptor f) throws IOException {
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        message(f.getMessageType());
      } else if (p.currentToken() == JsonToken.VALUE_STRING && TextValues.isNumeric(f.getType())) {
        bound(NumberBounds.literalProblem(p.getText()));
      } else if (f.getType() == FieldDescriptor.Type.BYTES && p.currentToken().isNumeric()) {
        // protobuf-java-util reads the digits as base64 ("12" is one byte, 0xd7): never what was meant.
        bound("is a number; a bytes field takes a base64 string");
      } else {
        any();
      }
    }

    /** Any JSON value: only its number tokens are checked. */
    private void any() throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        int depth = 1;
        while (depth > 0) {
          t = p.nextToken();
          if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            depth++;
          } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
            depth--;
          } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            number();
          }
        }
      } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        number();
      }
    }

    private void number() throws IOException {
      bound(NumberBounds.literalProblem(p.getText()));
    }

    private void bound(String problem) {
      if (problem != null) {
        String at = p.getParsingContext().pathAsPointer().toString();
        String pointer = prefix + at;
        errors.add(new FieldError(pointer.isEmpty() ? "/" : pointer, problem));
      }
    }
  }
}
