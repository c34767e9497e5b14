package dev.ficus.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.ficus.config.Problems;
import java.util.ArrayList;
import java.util.List;

/**
 * A dotted path to a field of a request message ({@code item.price.units}), resolved to field
 * descriptors. Each step accepts the proto name ({@code page_size}) or the JSON name
 * ({@code pageSize}). Immutable; thread-safe.
 */
record FieldPath(String text, List<FieldDescriptor> fields) {
  FieldPath {
    fields = List.copyOf(fields);
  }

  FieldDescriptor leaf() {
    return fields.get(fields.size() - 1);
  }

  /** True when {@code other} is this path, inside it, or contains it. */
  boolean overlaps(FieldPath other) {
    int n = Math.min(fields.size(), other.fields.size());
    return fields.subList(0, n).equals(other.fields.subList(0, n));
  }

  /**
   * Resolves {@code dotted} in {@code root}; every step but the last must be a singular message
   * field. Throws {@link IllegalArgumentException} with a message naming the step and, when
   * close, the field meant.
   */
  static FieldPath resolve(Descriptor root, String dotted) {
    List<FieldDescriptor> out = new ArrayList<>();
    Descriptor d = root;
    String[] parts = dotted.split("\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      if (d == null) {
        FieldDescriptor prev = out.get(out.size() - 1);
        throw new IllegalArgumentException("'" + prev.getName() + "' is not a message, so it has no field '"
            + parts[i] + "'");
      }
      FieldDescriptor f = field(d, parts[i]);
      if (f == null) {
        List<String> names = new ArrayList<>();
        d.getFields().forEach(x -> names.add(x.getName()));
        throw new IllegalArgumentException(d.getFullName() + " has no field '" + parts[i] + "'"
            + Problems.suggestion(parts[i], names));
      }
      if (i < parts.length - 1 && (f.isRepeated() || f.getJavaType() != FieldDescriptor.JavaType.MESSAGE)) {
        throw new IllegalArgumentException("'" + f.getName() + "' is " + (f.isMapField() ? "a map" : f.isRepeated()
            ? "repeated" : "not a message") + ", so a path cannot go through it");
      }
      out.add(f);
      d = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField() ? f.getMessageType() : null;
    }
    return new FieldPath(dotted, out);
  }

  /** The field named {@code name} (proto or JSON name) of {@code d}, or null. */
  static FieldDescriptor field(Descriptor d, String name) {
    FieldDescriptor f = d.findFieldByName(name);
    if (f != null) {
      return f;
    }
    for (FieldDescriptor x : d.getFields()) {
      if (x.getJsonName().equals(name)) {
        return x;
      }
    }
    return null;
  }

  /** Sets (or, for repeated leaves, adds) {@code value} at this path under {@code b}, creating parents. */
  void set(Message.Builder b, Object value) {
    set(b, 0, value);
  }

  private void set(Message.Builder b, int i, Object value) {
    FieldDescriptor f = fields.get(i);
    if (i == fields.size() - 1) {
      if (f.isRepeated()) {
        b.addRepeatedField(f, value);
      } else {
        b.setField(f, value);
      }
      return;
    }
    Message.Builder child = b.hasField(f) ? ((Message) b.getField(f)).toBuilder() : b.newBuilderForField(f);
    set(child, i + 1, value);
    b.setField(f, child.build());
  }

  /** Whether the leaf is already set under {@code b} (for "given twice" checks of singular fields). */
  boolean isSet(Message.Builder b) {
    Message.Builder cur = b;
    for (int i = 0; i < fields.size() - 1; i++) {
      FieldDescriptor f = fields.get(i);
      if (!cur.hasField(f)) {
        return false;
      }
      cur = ((Message) cur.getField(f)).toBuilder();
    }
    FieldDescriptor leaf = leaf();
    return leaf.isRepeated() ? cur.getRepeatedFieldCount(leaf) > 0 : leaf.hasPresence() ? cur.hasField(leaf)
        : !cur.getField(leaf).equals(leaf.getDefaultValue());
  }
}
