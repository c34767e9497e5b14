package dev.ficus.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.util.FieldMaskUtil;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.Specs.GrpcBackendSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proto3 JSON written straight from a message's wire bytes, without building a
 * {@code DynamicMessage} first: the reply path of every gRPC route. The output is the same, byte
 * for byte, as protobuf-java-util's {@code JsonFormat} printer with the same options (fields in
 * field-number order, int64 as strings, bytes as base64, enums by name, the well-known types in
 * their JSON forms, Any resolved through the backend's type registry, Gson's HTML-safe string
 * escaping) — {@code WireJsonTest} checks that against random messages of every field kind.
 *
 * <p>It handles the canonical wire form that protobuf serializers write: fields in increasing
 * number order, a repeated field's elements together (packed or not). Anything else — fields
 * out of order, a singular field or a oneof given twice (last one wins, messages merge), an
 * unknown value of a closed enum, invalid UTF-8, an unknown {@code Any} type, truncated or
 * malformed bytes — makes {@link #write} throw {@link Irregular} before returning anything, and
 * the caller renders through {@code DynamicMessage} and {@code JsonFormat}, which define the
 * result (or the error). Types with proto2 groups or required fields are never written here
 * ({@link #forType} returns null).
 *
 * <p>Compiled once per route; thread-safe (the plans of {@code Any} contents are added under a
 * lock, once per type).
 */
final class WireJson {
  /** The bytes are not in the canonical form this writer handles; use the general path. */
  static final class Irregular extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Irregular() {
      super(null, null, false, false);
    }
  }

  private static final Irregular IRREGULAR = new Irregular();
  /** The deepest message nesting written here: protobuf's default recursion limit. */
  static final int MAX_DEPTH = 100;

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LEN = 2;
  private static final int START_GROUP = 3;
  private static final int END_GROUP = 4;
  private static final int FIXED32 = 5;

  private enum Wkt { NONE, ANY, TIMESTAMP, DURATION, FIELD_MASK, STRUCT, VALUE, LIST_VALUE, WRAPPER }

  private final boolean emitDefaults;
  private final boolean enumsAsNumbers;
  private final boolean originalNames;
  private final JsonFormat.TypeRegistry types;
  private final Map<Descriptor, MessagePlan> plans = new ConcurrentHashMap<>();
  private final MessagePlan root;

  private WireJson(JsonFormat.TypeRegistry types, GrpcBackendSpec.Json options) {
    this.types = types;
    this.emitDefaults = options.emitDefaults();
    this.enumsAsNumbers = options.enumsAsNumbers();
    this.originalNames = options.originalNames();
    this.root = null;
  }

  private WireJson(WireJson base, MessagePlan root) {
    this.types = base.types;
    this.emitDefaults = base.emitDefaults;
    this.enumsAsNumbers = base.enumsAsNumbers;
    this.originalNames = base.originalNames;
    this.plans.putAll(base.plans);
    this.root = root;
  }

  /** The writer of {@code type}, or null when it (or a type it contains) has groups or required fields. */
  static WireJson forType(Descriptor type, JsonFormat.TypeRegistry types, GrpcBackendSpec.Json options) {
    WireJson base = new WireJson(types, options);
    MessagePlan p = base.plan(type);
    return p == null ? null : new WireJson(base, p);
  }

  /** The JSON of the whole message in {@code wire}. Throws {@link Irregular}. */
  byte[] write(byte[] wire) {
    Run r = new Run(wire);
    r.value(root, wire.length);
    return r.out.bytes();
  }

  /**
   * The JSON of one field of the message in {@code wire} (a route's {@code response_body}): its
   * value; when absent, its default (an empty message for a message), or {@code null} for a
   * scalar member of a oneof (as JsonFormat prints a field it is told to include). Throws
   * {@link Irregular}.
   */
  byte[] writeField(byte[] wire, FieldDescriptor field) {
    FieldPlan f = root.field(field.getNumber());
    if (f == null || f.fd != field) {
      throw new IllegalArgumentException(field.getFullName() + " is not a field of " + root.d.getFullName());
    }
    Run r = new Run(wire);
    r.fieldOnly(f, wire.length,
        field.getContainingOneof() != null && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE);
    return r.out.bytes();
  }

  // ---------------------------------------------------------------- plans

  /** What the writer knows of a message type, compiled once. */
  private static final class MessagePlan {
    final Descriptor d;
    Wkt wkt = Wkt.NONE;
    /** By field number, for numbers up to 1024; {@link #sparse} beyond. */
    FieldPlan[] dense;
    Map<Integer, FieldPlan> sparse;
    /** Fields without presence, by number (what {@code emitDefaults} prints when absent). */
    FieldPlan[] noPresence;
    /** The one field of a wrapper, Struct or ListValue. */
    FieldPlan only;

    MessagePlan(Descriptor d) {
      this.d = d;
    }

    FieldPlan field(int number) {
      if (dense != null) {
        return number < dense.length ? dense[number] : null;
      }
      return sparse.get(number);
    }
  }

  /** One field of a message type. */
  private static final class FieldPlan {
    final FieldDescriptor fd;
    final int number;
    final FieldDescriptor.Type type;
    final int wireType;
    final boolean repeated;
    final boolean map;
    final boolean packable;
    final boolean implicit;
    final boolean closedEnum;
    final boolean nullValue;
    /** The number of a singular enum field's default value. */
    final int defaultEnum;
    /** Bit of the field's oneof (real or synthetic), 0 when it has none. */
    final long oneofBit;
    /** {@code "name":}, escaped and encoded. */
    final byte[] name;
    MessagePlan message;
    FieldPlan key;
    FieldPlan value;

    FieldPlan(FieldDescriptor fd, boolean originalNames) {
      this.fd = fd;
      this.number = fd.getNumber();
      this.type = fd.getType();
      this.wireType = wireType(type);
      this.repeated = fd.isRepeated();
      this.map = fd.isMapField();
      this.packable = fd.isPackable();
      this.implicit = !fd.isRepeated() && !fd.hasPresence();
      this.closedEnum = type == FieldDescriptor.Type.ENUM && fd.legacyEnumFieldTreatedAsClosed();
      this.nullValue = type == FieldDescriptor.Type.ENUM
          && fd.getEnumType().getFullName().equals("google.protobuf.NullValue");
      this.defaultEnum = type == FieldDescriptor.Type.ENUM && !fd.isRepeated()
          ? ((EnumValueDescriptor) fd.getDefaultValue()).getNumber() : 0;
      this.oneofBit = fd.getContainingOneof() == null ? 0 : 1L << fd.getContainingOneof().getIndex();
      String n = originalNames ? fd.getName() : fd.getJsonName();
      this.name = ("\"" + n + "\":").getBytes(StandardCharsets.UTF_8);
    }

    boolean accepts(int wt) {
      return wt == wireType || (wt == LEN && repeated && packable);
    }
  }

  private static int wireType(FieldDescriptor.Type t) {
    return switch (t) {
      case DOUBLE, FIXED64, SFIXED64 -> FIXED64;
      case FLOAT, FIXED32, SFIXED32 -> FIXED32;
      case STRING, BYTES, MESSAGE -> LEN;
      case GROUP -> START_GROUP;
      default -> VARINT;
    };
  }

  /** The plan of {@code d} (compiled with every type it reaches), or null when one of them is not supported. */
  private synchronized MessagePlan plan(Descriptor d) {
    MessagePlan known = plans.get(d);
    if (known != null) {
      return known;
    }
    Map<Descriptor, MessagePlan> made = new HashMap<>();
    if (!build(d, made)) {
      return null;
    }
    plans.putAll(made);
    return made.get(d);
  }

  private boolean build(Descriptor d, Map<Descriptor, MessagePlan> made) {
    if (made.containsKey(d) || plans.containsKey(d)) {
      return true;
    }
    MessagePlan p = new MessagePlan(d);
    made.put(d, p);
    if (d.getOneofs().size() > 64) {
      return false;
    }
    List<FieldPlan> fields = new ArrayList<>();
    int max = 0;
    for (FieldDescriptor fd : d.getFields()) {
      if (fd.getType() == FieldDescriptor.Type.GROUP || fd.isRequired()) {
        return false;
      }
      FieldPlan f = new FieldPlan(fd, originalNames);
      if (fd.isMapField()) {
        Descriptor entry = fd.getMessageType();
        f.key = new FieldPlan(entry.findFieldByNumber(1), originalNames);
        f.value = new FieldPlan(entry.findFieldByNumber(2), originalNames);
        if (f.value.type == FieldDescriptor.Type.MESSAGE) {
          if (!build(f.value.fd.getMessageType(), made)) {
            return false;
          }
        }
      } else if (fd.getType() == FieldDescriptor.Type.MESSAGE) {
        if (!build(fd.getMessageType(), made)) {
          return false;
        }
      }
      fields.add(f);
      max = Math.max(max, fd.getNumber());
    }
    fields.sort(Comparator.comparingInt(f -> f.number));
    if (max <= 1024) {
      p.dense = new FieldPlan[max + 1];
      fields.forEach(f -> p.dense[f.number] = f);
    } else {
      p.sparse = new HashMap<>();
      fields.forEach(f -> p.sparse.put(f.number, f));
    }
    p.noPresence = fields.stream().filter(f -> !f.fd.hasPresence()).toArray(FieldPlan[]::new);
    p.wkt = wkt(d);
    if (p.wkt == Wkt.WRAPPER || p.wkt == Wkt.STRUCT || p.wkt == Wkt.LIST_VALUE) {
      if (fields.size() != 1 || fields.get(0).number != 1) {
        return false;
      }
      p.only = fields.get(0);
    }
    // Link message fields once every type they reach has a plan.
    for (FieldPlan f : fields) {
      FieldPlan m = f.map ? f.value : f;
      if (m.type == FieldDescriptor.Type.MESSAGE) {
        m.message = made.containsKey(m.fd.getMessageType()) ? made.get(m.fd.getMessageType())
            : plans.get(m.fd.getMessageType());
      }
    }
    return true;
  }

  private static Wkt wkt(Descriptor d) {
    return switch (d.getFullName()) {
      case "google.protobuf.Any" -> Wkt.ANY;
      case "google.protobuf.Timestamp" -> Wkt.TIMESTAMP;
      case "google.protobuf.Duration" -> Wkt.DURATION;
      case "google.protobuf.FieldMask" -> Wkt.FIELD_MASK;
      case "google.protobuf.Struct" -> Wkt.STRUCT;
      case "google.protobuf.Value" -> Wkt.VALUE;
      case "google.protobuf.ListValue" -> Wkt.LIST_VALUE;
      case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue" -> Wkt.WRAPPER;
      default -> Wkt.NONE;
    };
  }

  // ---------------------------------------------------------------- writing

  /** One rendering: the input, the read position and the output. */
  private final class Run {
    final byte[] in;
    int pos;
    final JsonOut out;
    int depth;

    Run(byte[] in) {
      this.in = in;
      this.out = new JsonOut(in.length * 2 + 64);
    }

    /** The JSON of the message of plan {@code p} in {@code [pos, end)}; leaves pos at end. */
    void value(MessagePlan p, int end) {
      if (++depth > MAX_DEPTH) {
        // A few bytes make a level: a 4 MB reply could nest a million deep and overflow the
        // stack. The general path refuses it at protobuf's own recursion limit, the same depth.
        throw IRREGULAR;
      }
      switch (p.wkt) {
        case NONE -> fields(p, end, null);
        case ANY -> any(end);
        case TIMESTAMP, DURATION -> time(p.wkt, end);
        case FIELD_MASK -> fieldMask(end);
        case VALUE -> jsonValue(p, end);
        default -> fieldOnly(p.only, end, false);
      }
      depth--;
      pos = end;
    }

    private void fields(MessagePlan p, int end, byte[] typeUrl) {
      out.put('{');
      boolean first = true;
      if (typeUrl != null) {
        out.put(JsonOut.AT_TYPE);
        out.string(typeUrl, 0, typeUrl.length);
        first = false;
      }
      int prev = 0;
      int defaults = 0;
      FieldPlan open = null;
      boolean openStarted = false;
      Keys keys = null;
      long oneofs = 0;
      FieldPlan[] noPresence = p.noPresence;
      while (pos < end) {
        int tag = tag(end);
        int number = tag >>> 3;
        int wt = tag & 7;
        FieldPlan f = p.field(number);
        if (f == null || !f.accepts(wt)) {
          skip(tag, end);
          continue;
        }
        if (number != prev) {
          if (number < prev) {
            throw IRREGULAR;
          }
          if (open != null) {
            first = close(open, openStarted, first);
            open = null;
          }
          if (emitDefaults) {
            while (defaults < noPresence.length && noPresence[defaults].number <= number) {
              FieldPlan d = noPresence[defaults++];
              if (d.number != number) {
                first = comma(first);
                out.put(d.name);
                defaultValue(d);
              }
            }
          }
          prev = number;
          if (f.oneofBit != 0) {
            if ((oneofs & f.oneofBit) != 0) {
              throw IRREGULAR;
            }
            oneofs |= f.oneofBit;
          }
          if (f.repeated) {
            open = f;
            openStarted = false;
          }
        } else if (!f.repeated) {
          throw IRREGULAR;
        }
        if (f.repeated) {
          int mark = out.len;
          if (!first || openStarted) {
            out.put(',');
          }
          if (!openStarted) {
            out.put(f.name);
            out.put(f.map ? '{' : '[');
          }
          if (f.map && !openStarted) {
            keys = new Keys();
          }
          if (element(f, wt, end, mark, keys)) {
            openStarted = true;
            first = false;
          }
          continue;
        }
        int mark = out.len;
        comma(first);
        out.put(f.name);
        boolean isDefault = scalarOrMessage(f, end);
        if (isDefault && f.implicit && !emitDefaults) {
          out.len = mark;
        } else {
          first = false;
        }
      }
      if (pos != end) {
        throw IRREGULAR;
      }
      if (open != null) {
        first = close(open, openStarted, first);
      }
      if (emitDefaults) {
        while (defaults < noPresence.length) {
          FieldPlan d = noPresence[defaults++];
          if (d.number > prev) {
            first = comma(first);
            out.put(d.name);
            defaultValue(d);
          }
        }
      }
      out.put('}');
    }

    private boolean comma(boolean first) {
      if (!first) {
        out.put(',');
      }
      return false;
    }

    /** Ends an open repeated field; with {@code emitDefaults}, one that printed nothing prints empty. */
    private boolean close(FieldPlan f, boolean started, boolean first) {
      if (started) {
        out.put(f.map ? '}' : ']');
        return false;
      }
      if (emitDefaults) {
        first = comma(first);
        out.put(f.name);
        out.put(f.map ? JsonOut.EMPTY_OBJECT : JsonOut.EMPTY_ARRAY);
      }
      return first;
    }

    /**
     * One element of repeated field {@code f} (a map entry, a value, or a packed run of values)
     * after what the caller wrote since {@code mark}; an empty packed run takes that back.
     * True when something was written.
     */
    private boolean element(FieldPlan f, int wt, int end, int mark, Keys keys) {
      int body = out.len;
      if (f.map) {
        entry(f, end, keys);
      } else if (wt == LEN && f.wireType != LEN) {
        int len = length(end);
        int stop = pos + len;
        while (pos < stop) {
          if (out.len > body) {
            out.put(',');
          }
          scalar(f, stop, false);
        }
      } else {
        scalarOrMessage(f, end);
      }
      if (out.len == body) {
        out.len = mark;
        return false;
      }
      return true;
    }

    /** One value of field {@code f} at pos (wire type already checked); true when it is the default. */
    private boolean scalarOrMessage(FieldPlan f, int end) {
      if (f.type == FieldDescriptor.Type.MESSAGE) {
        int len = length(end);
        value(f.message, pos + len);
        return false;
      }
      return scalar(f, end, false);
    }

    /**
     * One map entry as {@code "key":value}. An entry without its key or value, or with a key
     * given before in {@code keys}, is left to the general path (which keeps the last value).
     */
    private void entry(FieldPlan f, int end, Keys keys) {
      int len = length(end);
      int stop = pos + len;
      int keyAt = -1;
      int keyEnd = -1;
      int valueAt = -1;
      int valueEnd = -1;
      while (pos < stop) {
        int tag = tag(stop);
        int number = tag >>> 3;
        int wt = tag & 7;
        if (number == 1 && wt == f.key.wireType) {
          keyAt = pos;
          skipValue(wt, stop);
          keyEnd = pos;
        } else if (number == 2 && wt == f.value.wireType) {
          if (valueAt >= 0 && f.value.type == FieldDescriptor.Type.MESSAGE) {
            throw IRREGULAR;
          }
          valueAt = pos;
          skipValue(wt, stop);
          valueEnd = pos;
        } else {
          skip(tag, stop);
        }
      }
      if (pos != stop || keyAt < 0 || valueAt < 0 || !keys.add(in, keyAt, keyEnd)) {
        throw IRREGULAR;
      }
      pos = keyAt;
      scalar(f.key, stop, true);
      out.put(':');
      pos = valueAt;
      scalarOrMessage(f.value, valueEnd);
      pos = stop;
    }

    /**
     * Only the value of field {@code f} of the message in {@code [pos, end)}: a wrapper's value,
     * a Struct's map, a ListValue's list, a route's response_body. Absent: the default, or
     * {@code null} when {@code absentAsNull}.
     */
    void fieldOnly(FieldPlan f, int end, boolean absentAsNull) {
      boolean started = false;
      int lastAt = -1;
      Keys keys = f.map ? new Keys() : null;
      if (f.repeated) {
        out.put(f.map ? '{' : '[');
      }
      while (pos < end) {
        int tag = tag(end);
        int wt = tag & 7;
        if (tag >>> 3 != f.number || !f.accepts(wt)) {
          skip(tag, end);
          continue;
        }
        if (f.repeated) {
          int mark = out.len;
          if (started) {
            out.put(',');
          }
          started |= element(f, wt, end, mark, keys);
          continue;
        }
        if (lastAt >= 0 && f.type == FieldDescriptor.Type.MESSAGE) {
          throw IRREGULAR;
        }
        lastAt = pos;
        skipValue(wt, end);
      }
      if (pos != end) {
        throw IRREGULAR;
      }
      if (f.repeated) {
        out.put(f.map ? '}' : ']');
      } else if (lastAt < 0) {
        if (absentAsNull) {
          out.put(JsonOut.NULL);
        } else {
          defaultValue(f);
        }
      } else {
        pos = lastAt;
        scalarOrMessage(f, end);
      }
      pos = end;
    }

    /** google.protobuf.Value: the JSON value its one set member holds; {@code null} when none is. */
    private void jsonValue(MessagePlan p, int end) {
      int at = -1;
      FieldPlan set = null;
      while (pos < end) {
        int tag = tag(end);
        FieldPlan f = p.field(tag >>> 3);
        if (f == null || !f.accepts(tag & 7)) {
          skip(tag, end);
          continue;
        }
        if (set != null) {
          throw IRREGULAR;
        }
        set = f;
        at = pos;
        skipValue(tag & 7, end);
      }
      if (pos != end) {
        throw IRREGULAR;
      }
      if (set == null) {
        out.put(JsonOut.NULL);
        return;
      }
      pos = at;
      if (set.type == FieldDescriptor.Type.DOUBLE) {
        // JSON has no NaN or infinity, and a Value cannot stand for them as a string: JsonFormat refuses.
        int mark = pos;
        double d = Double.longBitsToDouble(fixed64(end));
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw IRREGULAR;
        }
        pos = mark;
      }
      scalarOrMessage(set, end);
    }

    private void any(int end) {
      int urlAt = -1;
      int urlLen = 0;
      int valueAt = -1;
      int valueLen = 0;
      while (pos < end) {
        int tag = tag(end);
        if (tag == (1 << 3 | LEN)) {
          urlLen = length(end);
          urlAt = pos;
          pos += urlLen;
        } else if (tag == (2 << 3 | LEN)) {
          valueLen = length(end);
          valueAt = pos;
          pos += valueLen;
        } else {
          skip(tag, end);
        }
      }
      if (pos != end) {
        throw IRREGULAR;
      }
      if (urlLen == 0 && valueLen == 0) {
        out.put(JsonOut.EMPTY_OBJECT);
        return;
      }
      if (urlAt < 0 || !JsonOut.validUtf8(in, urlAt, urlAt + urlLen)) {
        throw IRREGULAR;
      }
      String url = new String(in, urlAt, urlLen, StandardCharsets.UTF_8);
      int slash = url.lastIndexOf('/');
      if (slash < 0 || slash == url.length() - 1) {
        throw IRREGULAR;
      }
      Descriptor type = types.find(url.substring(slash + 1));
      MessagePlan content = type == null ? null : plans.get(type);
      if (content == null && type != null) {
        content = plan(type);
      }
      if (content == null) {
        throw IRREGULAR;
      }
      byte[] urlBytes = Arrays.copyOfRange(in, urlAt, urlAt + urlLen);
      int contentEnd = valueAt < 0 ? pos : valueAt + valueLen;
      pos = valueAt < 0 ? pos : valueAt;
      if (content.wkt == Wkt.NONE) {
        fields(content, contentEnd, urlBytes);
      } else {
        out.put('{');
        out.put(JsonOut.AT_TYPE);
        out.string(urlBytes, 0, urlBytes.length);
        out.put(JsonOut.VALUE_KEY);
        value(content, contentEnd);
        out.put('}');
      }
      pos = end;
    }

    private void time(Wkt kind, int end) {
      long seconds = 0;
      long nanos = 0;
      while (pos < end) {
        int tag = tag(end);
        if (tag == (1 << 3 | VARINT)) {
          seconds = varint(end);
        } else if (tag == (2 << 3 | VARINT)) {
          nanos = (int) varint(end);
        } else {
          skip(tag, end);
        }
      }
      if (pos != end) {
        throw IRREGULAR;
      }
      int n = (int) nanos;
      out.put('"');
      if (kind == Wkt.TIMESTAMP) {
        timestamp(seconds, n);
      } else {
        duration(seconds, n);
      }
      out.put('"');
    }

    /** RFC 3339 in UTC, as protobuf-java-util's Timestamps.toString (proleptic Gregorian; 0, 3, 6 or 9 digits). */
    private void timestamp(long seconds, int nanos) {
      if (seconds < -62135596800L || seconds > 253402300799L || nanos < 0 || nanos > 999_999_999) {
        throw IRREGULAR;
      }
      long days = Math.floorDiv(seconds, 86400);
      int secondOfDay = (int) Math.floorMod(seconds, 86400);
      // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
      long z = days + 719468;
      long era = Math.floorDiv(z, 146097);
      long doe = z - era * 146097;
      long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
      long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
      long mp = (5 * doy + 2) / 153;
      int day = (int) (doy - (153 * mp + 2) / 5 + 1);
      int month = (int) (mp < 10 ? mp + 3 : mp - 9);
      int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
      out.digits(year, 4);
      out.put('-');
      out.digits(month, 2);
      out.put('-');
      out.digits(day, 2);
      out.put('T');
      out.digits(secondOfDay / 3600, 2);
      out.put(':');
      out.digits(secondOfDay / 60 % 60, 2);
      out.put(':');
      out.digits(secondOfDay % 60, 2);
      fraction(nanos);
      out.put('Z');
    }

    /** As protobuf-java-util's Durations.toString: {@code [-]seconds[.fraction]s}. */
    private void duration(long seconds, int nanos) {
      if (seconds < -315_576_000_000L || seconds > 315_576_000_000L || nanos < -999_999_999
          || nanos > 999_999_999 || (seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0)) {
        throw IRREGULAR;
      }
      if (seconds < 0 || nanos < 0) {
        out.put('-');
        seconds = -seconds;
        nanos = -nanos;
      }
      out.number(seconds);
      fraction(nanos);
      out.put('s');
    }

    /** {@code .SSS}, {@code .SSSSSS} or {@code .SSSSSSSSS}, the shortest that is exact; nothing for 0. */
    private void fraction(int nanos) {
      if (nanos == 0) {
        return;
      }
      out.put('.');
      if (nanos % 1_000_000 == 0) {
        out.digits(nanos / 1_000_000, 3);
      } else if (nanos % 1000 == 0) {
        out.digits(nanos / 1000, 6);
      } else {
        out.digits(nanos, 9);
      }
    }

    private void fieldMask(int end) {
      FieldMask.Builder mask = FieldMask.newBuilder();
      while (pos < end) {
        int tag = tag(end);
        if (tag == (1 << 3 | LEN)) {
          int len = length(end);
          if (!JsonOut.validUtf8(in, pos, pos + len)) {
            throw IRREGULAR;
          }
          mask.addPaths(new String(in, pos, len, StandardCharsets.UTF_8));
          pos += len;
        } else {
          skip(tag, end);
        }
      }
      if (pos != end) {
        throw IRREGULAR;
      }
      String text;
      try {
        text = FieldMaskUtil.toJsonString(mask.build());
      } catch (IllegalArgumentException e) {
        throw IRREGULAR;
      }
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      out.string(b, 0, b.length);
    }

    /** One scalar of {@code f} at pos; a map key when {@code key} (always quoted). True when it is the default. */
    private boolean scalar(FieldPlan f, int end, boolean key) {
      switch (f.type) {
        case DOUBLE -> {
          long bits = fixed64(end);
          floating(Double.longBitsToDouble(bits), false, key);
          return bits == 0;
        }
        case FLOAT -> {
          int bits = fixed32(end);
          floating(Float.intBitsToFloat(bits), true, key);
          return bits == 0;
        }
        case INT64 -> {
          return quotedLong(varint(end));
        }
        case SINT64 -> {
          long n = varint(end);
          return quotedLong((n >>> 1) ^ -(n & 1));
        }
        case SFIXED64 -> {
          return quotedLong(fixed64(end));
        }
        case UINT64 -> {
          return quotedUnsigned(varint(end));
        }
        case FIXED64 -> {
          return quotedUnsigned(fixed64(end));
        }
        case INT32 -> {
          return number((int) varint(end), key);
        }
        case SINT32 -> {
          int n = (int) varint(end);
          return number((n >>> 1) ^ -(n & 1), key);
        }
        case SFIXED32 -> {
          return number(fixed32(end), key);
        }
        case UINT32 -> {
          return number(Integer.toUnsignedLong((int) varint(end)), key);
        }
        case FIXED32 -> {
          return number(Integer.toUnsignedLong(fixed32(end)), key);
        }
        case BOOL -> {
          boolean v = varint(end) != 0;
          quoteIf(key);
          out.put(v ? JsonOut.TRUE : JsonOut.FALSE);
          quoteIf(key);
          return !v;
        }
        case STRING -> {
          int len = length(end);
          if (!JsonOut.validUtf8(in, pos, pos + len)) {
            throw IRREGULAR;
          }
          out.string(in, pos, pos + len);
          pos += len;
          return len == 0;
        }
        case BYTES -> {
          int len = length(end);
          out.put('"');
          out.base64(in, pos, len);
          out.put('"');
          pos += len;
          return len == 0;
        }
        case ENUM -> {
          int n = (int) varint(end);
          return enumValue(f, n);
        }
        default -> throw IRREGULAR;
      }
    }

    private boolean enumValue(FieldPlan f, int n) {
      if (f.nullValue) {
        out.put(JsonOut.NULL);
        return n == 0;
      }
      EnumValueDescriptor v = f.fd.getEnumType().findValueByNumber(n);
      if (v == null && f.closedEnum) {
        throw IRREGULAR;
      }
      if (enumsAsNumbers || v == null) {
        out.number(n);
      } else {
        out.put('"');
        out.ascii(v.getName());
        out.put('"');
      }
      return n == f.defaultEnum;
    }

    /** A double or float as JsonFormat prints it: Java's shortest form, NaN and infinities as strings. */
    private void floating(double d, boolean isFloat, boolean key) {
      if (Double.isNaN(d)) {
        out.put(JsonOut.NAN);
      } else if (Double.isInfinite(d)) {
        out.put(d > 0 ? JsonOut.INFINITY : JsonOut.NEGATIVE_INFINITY);
      } else {
        quoteIf(key);
        out.ascii(isFloat ? Float.toString((float) d) : Double.toString(d));
        quoteIf(key);
      }
    }

    private void quoteIf(boolean key) {
      if (key) {
        out.put('"');
      }
    }

    private boolean number(long v, boolean key) {
      quoteIf(key);
      out.number(v);
      quoteIf(key);
      return v == 0;
    }

    private boolean quotedLong(long v) {
      out.put('"');
      out.number(v);
      out.put('"');
      return v == 0;
    }

    private boolean quotedUnsigned(long v) {
      if (v >= 0) {
        return quotedLong(v);
      }
      out.put('"');
      out.ascii(Long.toUnsignedString(v));
      out.put('"');
      return false;
    }

    /** The value an absent field prints: 0, "", false, the first enum value, [], {} or an empty message. */
    private void defaultValue(FieldPlan f) {
      if (f.map) {
        out.put(JsonOut.EMPTY_OBJECT);
      } else if (f.repeated) {
        out.put(JsonOut.EMPTY_ARRAY);
      } else if (f.type == FieldDescriptor.Type.MESSAGE) {
        int saved = pos;
        value(f.message, pos);
        pos = saved;
      } else if (f.type == FieldDescriptor.Type.ENUM) {
        enumValue(f, f.defaultEnum);
      } else {
        defaultScalar(f);
      }
    }

    private void defaultScalar(FieldPlan f) {
      Object v = f.fd.getDefaultValue();
      switch (f.type) {
        case STRING -> {
          byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
          out.string(b, 0, b.length);
        }
        case BYTES -> {
          byte[] b = ((com.google.protobuf.ByteString) v).toByteArray();
          out.put('"');
          out.base64(b, 0, b.length);
          out.put('"');
        }
        case BOOL -> out.put((Boolean) v ? JsonOut.TRUE : JsonOut.FALSE);
        case INT64, SINT64, SFIXED64 -> quotedLong((Long) v);
        case UINT64, FIXED64 -> quotedUnsigned((Long) v);
        case UINT32, FIXED32 -> number(Integer.toUnsignedLong((Integer) v), false);
        case INT32, SINT32, SFIXED32 -> number((Integer) v, false);
        case DOUBLE -> floating((Double) v, false, false);
        case FLOAT -> floating((Float) v, true, false);
        default -> throw IRREGULAR;
      }
    }

    // ------------------------------------------------------------ reading

    private int tag(int end) {
      long t = varint(end);
      if (t >>> 32 != 0 || (t >>> 3) == 0) {
        throw IRREGULAR;
      }
      return (int) t;
    }

    private long varint(int end) {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw IRREGULAR;
        }
        byte b = in[pos++];
        result |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return result;
        }
      }
      throw IRREGULAR;
    }

    private int length(int end) {
      long n = varint(end);
      if (n < 0 || n > end - pos) {
        throw IRREGULAR;
      }
      return (int) n;
    }

    private int fixed32(int end) {
      if (end - pos < 4) {
        throw IRREGULAR;
      }
      int p = pos;
      pos += 4;
      return (in[p] & 0xff) | (in[p + 1] & 0xff) << 8 | (in[p + 2] & 0xff) << 16 | (in[p + 3] & 0xff) << 24;
    }

    private long fixed64(int end) {
      if (end - pos < 8) {
        throw IRREGULAR;
      }
      long lo = fixed32(end) & 0xffffffffL;
      long hi = fixed32(end) & 0xffffffffL;
      return lo | hi << 32;
    }

    /** Skips the value of a field with tag {@code tag} (read already). */
    private void skip(int tag, int end) {
      int wt = tag & 7;
      if (wt == START_GROUP) {
        while (true) {
          int t = tag(end);
          if ((t & 7) == END_GROUP) {
            if (t >>> 3 != tag >>> 3) {
              throw IRREGULAR;
            }
            return;
          }
          skip(t, end);
        }
      }
      skipValue(wt, end);
    }

    private void skipValue(int wt, int end) {
      switch (wt) {
        case VARINT -> varint(end);
        case FIXED64 -> fixed64(end);
        case FIXED32 -> fixed32(end);
        case LEN -> {
          int len = length(end);
          pos += len;
        }
        default -> throw IRREGULAR;
      }
    }
  }

  /** The keys of one map seen so far, as their encoded bytes. */
  private static final class Keys {
    private int[] at = new int[16];
    private int n;
    private java.util.Set<java.nio.ByteBuffer> many;

    /** False when the key in {@code b[from, to)} was added before. */
    boolean add(byte[] b, int from, int to) {
      if (many != null) {
        return many.add(java.nio.ByteBuffer.wrap(b, from, to - from));
      }
      for (int i = 0; i < n; i += 2) {
        if (Arrays.equals(b, at[i], at[i + 1], b, from, to)) {
          return false;
        }
      }
      if (n == at.length) {
        many = new java.util.HashSet<>();
        for (int i = 0; i < n; i += 2) {
          many.add(java.nio.ByteBuffer.wrap(b, at[i], at[i + 1] - at[i]));
        }
        return many.add(java.nio.ByteBuffer.wrap(b, from, to - from));
      }
      at[n++] = from;
      at[n++] = to;
      return true;
    }
  }
}
