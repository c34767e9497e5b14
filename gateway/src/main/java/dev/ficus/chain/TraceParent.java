package dev.ficus.chain;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context {@code traceparent} (version 00): the trace a request belongs to and the
 * span it came from. Parsed strictly as the Recommendation says (lower-case hex, no all-zero
 * trace or parent id, version {@code ff} invalid; a higher version is read by its first four
 * fields); a request without a valid one starts a new trace. Immutable.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param parentId 16 lower-case hex digits, not all zero: the caller's span
 * @param flags the trace flags byte (bit 0: sampled)
 * @param started the gateway started this trace (the request carried no valid traceparent)
 */
public record TraceParent(String traceId, String parentId, int flags, boolean started) {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The header's value: {@code 00-<traceId>-<parentId>-<flags>}. */
  public String header() {
    StringBuilder sb = new StringBuilder(55).append("00-").append(traceId).append('-').append(parentId).append('-');
    sb.append(HEX[(flags >> 4) & 0xF]).append(HEX[flags & 0xF]);
    return sb.toString();
  }

  /** The trace of {@code value} (a request's traceparent), or null when it is absent or not valid. */
  public static TraceParent parse(String value) {
    if (value == null || value.length() < 55) {
      return null;
    }
    String v = value.trim();
    if (v.length() < 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
      return null;
    }
    int version = hexByte(v, 0);
    // Version 00 has exactly these fields; a later version may add some after a dash.
    if (version < 0 || version == 0xff || (version == 0 && v.length() != 55)
        || (version > 0 && v.length() > 55 && v.charAt(55) != '-')) {
      return null;
    }
    String trace = v.substring(3, 35);
    String parent = v.substring(36, 52);
    int flags = hexByte(v, 53);
    if (flags < 0 || !hex(trace) || !hex(parent) || zeros(trace) || zeros(parent)) {
      return null;
    }
    return new TraceParent(trace, parent, flags, false);
  }

  /** A new trace, not sampled (the gateway records no spans of its own yet), with a random parent id. */
  public static TraceParent start() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi;
    long lo;
    do {
      hi = r.nextLong();
      lo = r.nextLong();
    } while (hi == 0 && lo == 0);
    long span;
    do {
      span = r.nextLong();
    } while (span == 0);
    return new TraceParent(hex16(hi) + hex16(lo), hex16(span), 0, true);
  }

  static String hex16(long v) {
    char[] c = new char[16];
    for (int i = 15; i >= 0; i--) {
      c[i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
    return new String(c);
  }

  private static int hexByte(String s, int at) {
    int a = digit(s.charAt(at));
    int b = digit(s.charAt(at + 1));
    return a < 0 || b < 0 ? -1 : a << 4 | b;
  }

  private static int digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  private static boolean hex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (digit(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
