package dev.ficus.grpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The growable UTF-8 byte buffer {@link WireJson} writes JSON into: ASCII tokens, numbers
 * without allocating, base64, and strings escaped exactly as Gson's HTML-safe writer (which
 * protobuf-java-util's JsonFormat uses) escapes them. Not thread-safe; one per rendering.
 */
final class JsonOut {
  static final byte[] AT_TYPE = "\"@type\":".getBytes(StandardCharsets.US_ASCII);
  static final byte[] VALUE_KEY = ",\"value\":".getBytes(StandardCharsets.US_ASCII);
  static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
  static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
  static final byte[] NAN = "\"NaN\"".getBytes(StandardCharsets.US_ASCII);
  static final byte[] INFINITY = "\"Infinity\"".getBytes(StandardCharsets.US_ASCII);
  static final byte[] NEGATIVE_INFINITY = "\"-Infinity\"".getBytes(StandardCharsets.US_ASCII);
  static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);
  static final byte[] EMPTY_ARRAY = "[]".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

  /** How each ASCII character is written inside a string: 0 as itself, else its escape. */
  static final byte[][] ESCAPES = new byte[128][];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = String.format("\\u%04x", c).getBytes(StandardCharsets.US_ASCII);
    }
    ESCAPES['"'] = "\\\"".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\\'] = "\\\\".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\t'] = "\\t".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\b'] = "\\b".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\n'] = "\\n".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\r'] = "\\r".getBytes(StandardCharsets.US_ASCII);
    ESCAPES['\f'] = "\\f".getBytes(StandardCharsets.US_ASCII);
    // Gson's HTML-safe escaping, which JsonFormat uses.
    for (char c : new char[] {'<', '>', '&', '=', '\''}) {
      ESCAPES[c] = String.format("\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** Whether {@code [from, to)} is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
  static boolean validUtf8(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + n >= to) {
        return false;
      }
      int cp = c & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return false;
        }
        cp = cp << 6 | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }

  private static final byte[] LS = "\\u2028".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PS = "\\u2029".getBytes(StandardCharsets.US_ASCII);

  byte[] buf;
  int len;

  JsonOut(int size) {
    buf = new byte[size];
  }

  byte[] bytes() {
    return Arrays.copyOf(buf, len);
  }

  private void room(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  void put(char c) {
    room(1);
    buf[len++] = (byte) c;
  }

  void put(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  void ascii(String s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  /** {@code v} (0 or more) in exactly {@code width} digits, zero-padded. */
  void digits(int v, int width) {
    room(width);
    for (int i = width - 1; i >= 0; i--) {
      buf[len + i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    len += width;
  }

  void number(long v) {
    if (v == Long.MIN_VALUE) {
      ascii(Long.toString(v));
      return;
    }
    room(20);
    if (v < 0) {
      buf[len++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    int at = len + digits;
    len = at;
    do {
      buf[--at] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
  }

  /** {@code "..."}: well-formed UTF-8 bytes {@code [from, to)} as a JSON string, escaped as Gson does. */
  void string(byte[] s, int from, int to) {
    room(to - from + 2);
    buf[len++] = '"';
    int run = from;
    int i = from;
    while (i < to) {
      int c = s[i];
      byte[] esc = null;
      int width = 1;
      if (c >= 0) {
        esc = ESCAPES[c];
      } else if ((c & 0xff) == 0xe2 && i + 2 < to && s[i + 1] == (byte) 0x80
          && (s[i + 2] == (byte) 0xa8 || s[i + 2] == (byte) 0xa9)) {
        esc = s[i + 2] == (byte) 0xa8 ? LS : PS;
        width = 3;
      }
      if (esc == null) {
        i++;
        continue;
      }
      copy(s, run, i);
      put(esc);
      i += width;
      run = i;
    }
    copy(s, run, to);
    put('"');
  }

  private void copy(byte[] s, int from, int to) {
    int n = to - from;
    if (n > 0) {
      room(n);
      System.arraycopy(s, from, buf, len, n);
      len += n;
    }
  }

  void base64(byte[] s, int from, int n) {
    room((n + 2) / 3 * 4);
    int i = from;
    int end = from + n;
    while (end - i >= 3) {
      int v = (s[i] & 0xff) << 16 | (s[i + 1] & 0xff) << 8 | (s[i + 2] & 0xff);
      buf[len++] = BASE64[v >>> 18];
      buf[len++] = BASE64[(v >>> 12) & 0x3f];
      buf[len++] = BASE64[(v >>> 6) & 0x3f];
      buf[len++] = BASE64[v & 0x3f];
      i += 3;
    }
    if (end - i == 1) {
      int v = (s[i] & 0xff) << 16;
      buf[len++] = BASE64[v >>> 18];
      buf[len++] = BASE64[(v >>> 12) & 0x3f];
      buf[len++] = '=';
      buf[len++] = '=';
    } else if (end - i == 2) {
      int v = (s[i] & 0xff) << 16 | (s[i + 1] & 0xff) << 8;
      buf[len++] = BASE64[v >>> 18];
      buf[len++] = BASE64[(v >>> 12) & 0x3f];
      buf[len++] = BASE64[(v >>> 6) & 0x3f];
      buf[len++] = '=';
    }
  }
}
