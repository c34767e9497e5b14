package dev.ficus.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.FieldMaskUtil;
import com.google.protobuf.util.Timestamps;
import dev.ficus.http.NumberBounds;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Converts one text value (a path variable, query parameter or header) into the value of a
 * protobuf field, following the proto3 JSON rules for strings: numbers in decimal (64-bit
 * too), booleans {@code true}/{@code false}, enums by name or number, bytes in base64 (standard
 * or URL-safe), and the well-known types that have a string form — Timestamp (RFC 3339),
 * Duration ({@code 1.5s}), FieldMask ({@code a,b.c}) and the wrappers. Stateless; thread-safe.
 */
final class TextValues {
  static final Set<String> WRAPPERS = Set.of("google.protobuf.DoubleValue", "google.protobuf.FloatValue",
      "google.protobuf.Int64Value", "google.protobuf.UInt64Value", "google.protobuf.Int32Value",
      "google.protobuf.UInt32Value", "google.protobuf.BoolValue", "google.protobuf.StringValue",
      "google.protobuf.BytesValue");

  private TextValues() {}

  /** Whether a field of this type can be filled from one text value. */
  static boolean isTextual(FieldDescriptor f) {
    if (f.isMapField()) {
      return false;
    }
    if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return true;
    }
    String n = f.getMessageType().getFullName();
    return WRAPPERS.contains(n) || n.equals("google.protobuf.Timestamp") || n.equals("google.protobuf.Duration")
        || n.equals("google.protobuf.FieldMask");
  }

  /** The value for field {@code f}; throws {@link IllegalArgumentException} saying what was expected. */
  static Object parse(FieldDescriptor f, String text) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return message(f.getMessageType(), text);
    }
    return scalar(f, text);
  }

  private static Object scalar(FieldDescriptor f, String text) {
    String t = text.trim();
    if (isNumeric(f.getType())) {
      String problem = NumberBounds.literalProblem(t);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }
    try {
      return switch (f.getType()) {
        case STRING -> text;
        case BOOL -> switch (t) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
        case INT32, SINT32, SFIXED32 -> Integer.parseInt(t);
        case UINT32, FIXED32 -> Integer.parseUnsignedInt(t);
        case INT64, SINT64, SFIXED64 -> Long.parseLong(t);
        case UINT64, FIXED64 -> Long.parseUnsignedLong(t);
        case FLOAT -> {
          double d = floating(t);
          if (Float.isInfinite((float) d) && !Double.isInfinite(d)) {
            throw new IllegalArgumentException("is out of the range of a float: '" + t + "'");
          }
          yield (float) d;
        }
        case DOUBLE -> floating(t);
        case BYTES -> ByteString.copyFrom(t.indexOf('-') >= 0 || t.indexOf('_') >= 0
            ? Base64.getUrlDecoder().decode(t) : Base64.getDecoder().decode(t));
        case ENUM -> enumValue(f.getEnumType(), t);
        default -> throw new IllegalArgumentException("a " + f.getType() + " cannot come from text");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + describe(f) + ", got '" + text + "'");
    } catch (IllegalArgumentException e) {
      if (f.getType() == FieldDescriptor.Type.BYTES) {
        throw new IllegalArgumentException("expected base64 bytes, got '" + text + "'");
      }
      throw e;
    }
  }

  private static double floating(String t) {
    return switch (t) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> {
        if (!t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
          throw new NumberFormatException(t);
        }
        double d = Double.parseDouble(t);
        if (Double.isInfinite(d)) {
          // A finite literal past the range is not Infinity: the client did not say Infinity.
          throw new IllegalArgumentException("is out of the range of a double: '" + t + "'");
        }
        yield d;
      }
    };
  }

  static boolean isNumeric(FieldDescriptor.Type t) {
    return switch (t) {
      case INT32, SINT32, SFIXED32, UINT32, FIXED32, INT64, SINT64, SFIXED64, UINT64, FIXED64, FLOAT, DOUBLE -> true;
      default -> false;
    };
  }

  private static EnumValueDescriptor enumValue(EnumDescriptor e, String t) {
    EnumValueDescriptor v = e.findValueByName(t);
    if (v != null) {
      return v;
    }
    if (t.matches("-?\\d+")) {
      int n = Integer.parseInt(t);
      v = e.isClosed() ? e.findValueByNumber(n) : e.findValueByNumberCreatingIfUnknown(n);
      if (v != null) {
        return v;
      }
    }
    List<String> names = new ArrayList<>();
    e.getValues().forEach(x -> names.add(x.getName()));
    throw new IllegalArgumentException("expected one of " + String.join(", ", names) + ", got '" + t + "'");
  }

  private static Object message(Descriptor d, String text) {
    String n = d.getFullName();
    try {
      switch (n) {
        case "google.protobuf.Timestamp" -> {
          return Timestamps.parse(text.trim());
        }
        case "google.protobuf.Duration" -> {
          return Durations.parse(text.trim());
        }
        case "google.protobuf.FieldMask" -> {
          return FieldMaskUtil.fromJsonString(text.trim());
        }
        default -> {
          if (!WRAPPERS.contains(n)) {
            throw new IllegalArgumentException(n + " cannot come from a single text value");
          }
          FieldDescriptor value = d.findFieldByName("value");
          return DynamicMessage.newBuilder(d).setField(value, scalar(value, text)).build();
        }
      }
    } catch (ParseException e) {
      throw new IllegalArgumentException("expected " + (n.endsWith("Timestamp") ? "an RFC 3339 timestamp such as "
          + "2026-01-15T10:00:00Z" : "a duration such as 1.5s") + ", got '" + text + "'");
    }
  }

  /** "an int32", "a Category (TOOLS, GARDEN…)". */
  static String describe(FieldDescriptor f) {
    return switch (f.getType()) {
      case INT32, SINT32, SFIXED32 -> "a 32-bit integer";
      case UINT32, FIXED32 -> "an unsigned 32-bit integer";
      case INT64, SINT64, SFIXED64 -> "a 64-bit integer";
      case UINT64, FIXED64 -> "an unsigned 64-bit integer";
      case FLOAT, DOUBLE -> "a number";
      case BOOL -> "true or false";
      default -> "a " + f.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
