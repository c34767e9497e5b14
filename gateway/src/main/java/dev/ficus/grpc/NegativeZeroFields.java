package dev.ficus.grpc;

import com.fasterxml.jackson.core.JsonPointer;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.ficus.http.NegativeZeros;
import java.util.List;

/**
 * Puts the sign of {@code -0.0} back into the {@code double} (and {@code float}) fields of a
 * message that protobuf-java-util's JSON parser has just filled: it reads a double through
 * {@code BigDecimal}, which has no negative zero. The fields are found by the JSON pointers of
 * {@link NegativeZeros}, through nested messages, lists, map values and the
 * {@code DoubleValue}/{@code FloatValue} wrappers; a pointer that leads to another type is
 * left alone. Costs a byte scan when the text has no negative zero. Stateless; thread-safe.
 */
final class NegativeZeroFields {
  private NegativeZeroFields() {}

  /** Restores the negative zeros of {@code text}, the JSON that was merged into {@code b}. */
  static void restore(Message.Builder b, String text) {
    List<JsonPointer> at = NegativeZeros.in(text);
    for (JsonPointer p : at) {
      if (!p.matches()) {
        member(b, p);
      }
    }
  }

  /** {@code p} starts with a member of {@code b}'s message; true when a value was set. */
  private static boolean member(Message.Builder b, JsonPointer p) {
    FieldDescriptor f = field(b.getDescriptorForType(), p.getMatchingProperty());
    JsonPointer rest = p.tail();
    if (f == null) {
      return false;
    }
    if (f.isMapField()) {
      if (rest.matches()) {
        return false;
      }
      String key = rest.getMatchingProperty();
      FieldDescriptor keyField = f.getMessageType().findFieldByNumber(1);
      for (int i = 0; i < b.getRepeatedFieldCount(f); i++) {
        Message entry = (Message) b.getRepeatedField(f, i);
        if (String.valueOf(entry.getField(keyField)).equals(key)) {
          Message.Builder e = entry.toBuilder();
          if (!value(e, f.getMessageType().findFieldByNumber(2), -1, rest.tail())) {
            return false;
          }
          b.setRepeatedField(f, i, e.build());
          return true;
        }
      }
      return false;
    }
    if (f.isRepeated()) {
      int i = rest.getMatchingIndex();
      return i >= 0 && i < b.getRepeatedFieldCount(f) && value(b, f, i, rest.tail());
    }
    return value(b, f, -1, rest);
  }

  /**
   * The value of {@code f} (element {@code index} when repeated, else -1) is at {@code rest};
   * true when a value was set (a message is only written back then, so no unset field appears).
   */
  private static boolean value(Message.Builder b, FieldDescriptor f, int index, JsonPointer rest) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      Message m = (Message) (index < 0 ? b.getField(f) : b.getRepeatedField(f, index));
      Message.Builder sub = m.toBuilder();
      if (rest.matches()) {
        String type = f.getMessageType().getFullName();
        if (!type.equals("google.protobuf.DoubleValue") && !type.equals("google.protobuf.FloatValue")
            || !value(sub, f.getMessageType().findFieldByName("value"), -1, rest)) {
          return false;
        }
      } else if (!member(sub, rest)) {
        return false;
      }
      if (index < 0) {
        b.setField(f, sub.build());
      } else {
        b.setRepeatedField(f, index, sub.build());
      }
      return true;
    }
    if (rest.matches() && (f.getType() == FieldDescriptor.Type.DOUBLE
        || f.getType() == FieldDescriptor.Type.FLOAT)) {
      Object zero = f.getType() == FieldDescriptor.Type.DOUBLE ? (Object) (-0.0d) : (Object) (-0.0f);
      if (index < 0) {
        b.setField(f, zero);
      } else {
        b.setRepeatedField(f, index, zero);
      }
      return true;
    }
    return false;
  }

  /** The field a JSON member names: its proto name or its JSON name, as protobuf-java-util accepts. */
  private static FieldDescriptor field(Descriptor d, String member) {
    FieldDescriptor f = d.findFieldByName(member);
    if (f != null) {
      return f;
    }
    for (FieldDescriptor x : d.getFields()) {
      if (x.getJsonName().equals(member)) {
        return x;
      }
    }
    return null;
  }
}
