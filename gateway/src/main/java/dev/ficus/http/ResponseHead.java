package dev.ficus.http;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The status line and header fields of an upstream's HTTP/1.x response (RFC 9112 §4–5), parsed
 * once from the bytes read so far, and what they say about the body's framing and the
 * connection. Lines may end in CRLF or a bare LF. Obsolete line folding, a field name with
 * spaces, conflicting Content-Length values, a Content-Length beside a Transfer-Encoding and a
 * malformed status line are errors.
 */
public final class ResponseHead {
  /** A response head that no proxy may pass on. */
  public static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  private static final HttpString PROXY_CONNECTION = new HttpString("Proxy-Connection");
  private static final HttpString HTTP2_SETTINGS = new HttpString("HTTP2-Settings");

  /**
   * Field names most answers carry, looked up by their bytes so that reading them allocates
   * nothing; a name found here is passed on in this spelling (field names are case-insensitive,
   * and Undertow's own client does the same).
   */
  private static final HttpString[] KNOWN = new HttpString[128];

  static {
    for (HttpString n : new HttpString[] {Headers.ACCEPT_RANGES, Headers.AGE, Headers.ALLOW, Headers.CACHE_CONTROL,
        Headers.CONNECTION, Headers.CONTENT_DISPOSITION, Headers.CONTENT_ENCODING, Headers.CONTENT_LANGUAGE,
        Headers.CONTENT_LENGTH, Headers.CONTENT_LOCATION, Headers.CONTENT_RANGE, Headers.CONTENT_SECURITY_POLICY,
        Headers.CONTENT_TYPE, Headers.DATE, Headers.ETAG, Headers.EXPIRES, Headers.KEEP_ALIVE, Headers.LAST_MODIFIED,
        Headers.LOCATION, Headers.PRAGMA, Headers.PROXY_AUTHENTICATE, Headers.REFERRER_POLICY, Headers.RETRY_AFTER,
        Headers.SERVER, Headers.SET_COOKIE, Headers.STRICT_TRANSPORT_SECURITY, Headers.TRAILER, Headers.TRANSFER_ENCODING,
        Headers.UPGRADE, Headers.VARY, Headers.VIA, Headers.WARNING, Headers.WWW_AUTHENTICATE,
        Headers.X_CONTENT_TYPE_OPTIONS, Headers.X_FRAME_OPTIONS, Headers.X_XSS_PROTECTION, PROXY_CONNECTION,
        new HttpString("Access-Control-Allow-Origin"), new HttpString("Access-Control-Allow-Credentials"),
        new HttpString("Access-Control-Expose-Headers"), new HttpString("Link"), new HttpString("X-Request-Id")}) {
      byte[] b = new byte[n.length()];
      n.copyTo(b, 0);
      int i = slot(b, 0, b.length);
      while (KNOWN[i] != null) {
        i = (i + 1) & (KNOWN.length - 1);
      }
      KNOWN[i] = n;
    }
  }

  int status;
  /** Bytes of the head, the empty line included: the body starts there. */
  int length;
  /** The upstream will close the connection (or has not offered to keep it: HTTP/1.0). */
  boolean close;
  /** A Transfer-Encoding is present; {@link #chunked} when its last coding is chunked. */
  boolean transferEncoded;
  boolean chunked;
  /** -1 when absent. */
  long contentLength = -1;
  private HttpString[] names = new HttpString[16];
  private String[] values = new String[16];
  private int count;
  /** Field names the Connection header lists: hop-by-hop too. */
  private java.util.List<String> connectionTokens;

  public int status() {
    return status;
  }

  /** Bytes of the head, the empty line included: the body starts there. */
  public int length() {
    return length;
  }

  /** The upstream will close the connection after this response. */
  public boolean close() {
    return close;
  }

  /** A Transfer-Encoding is present (a Content-Length then means nothing). */
  public boolean transferEncoded() {
    return transferEncoded;
  }

  /**
   * Parses the head in {@code in}'s bytes from 0 to its position (a buffer being filled); null
   * when the head is not complete yet. {@code in} is not changed.
   */
  public static ResponseHead parse(ByteBuffer in) throws MalformedException {
    int end = headEnd(in, in.position());
    if (end < 0) {
      return null;
    }
    byte[] b = new byte[end];
    in.get(0, b);
    ResponseHead h = new ResponseHead();
    h.length = end;
    h.read(b);
    return h;
  }

  /**
   * Like {@link #parse}, but drops interim answers (1xx but 101: 103 Early Hints, a stray 100)
   * from the start of {@code in}, compacting it, and returns the final answer's head, or a 101
   * (after which the connection no longer speaks HTTP). Null while that head is not complete.
   */
  public static ResponseHead parseFinal(ByteBuffer in) throws MalformedException {
    while (true) {
      ResponseHead h = parse(in);
      if (h == null || h.status >= 200 || h.status == 101) {
        return h;
      }
      in.flip().position(h.length);
      in.compact();
    }
  }

  private static int headEnd(ByteBuffer in, int limit) {
    for (int i = 0; i < limit; i++) {
      if (in.get(i) == '\n') {
        int j = i + 1;
        if (j < limit && in.get(j) == '\n') {
          return j + 1;
        }
        if (j + 1 < limit && in.get(j) == '\r' && in.get(j + 1) == '\n') {
          return j + 2;
        }
      }
    }
    return -1;
  }

  private void read(byte[] b) throws MalformedException {
    int eol = lineEnd(b, 0);
    int lineLen = eol > 0 && b[eol - 1] == '\r' ? eol - 1 : eol;
    if (lineLen < 12 || b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' || b[5] != '1'
        || b[6] != '.' || !digit(b[7]) || b[8] != ' ' || !digit(b[9]) || !digit(b[10]) || !digit(b[11])
        || (lineLen > 12 && b[12] != ' ')) {
      throw new MalformedException("bad status line '" + new String(b, 0, Math.min(lineLen, 60), StandardCharsets.ISO_8859_1) + "'");
    }
    boolean http10 = b[7] == '0';
    status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
    boolean keepAlive = false;
    int p = eol + 1;
    while (p < b.length) {
      eol = lineEnd(b, p);
      int e = eol > p && b[eol - 1] == '\r' ? eol - 1 : eol;
      if (e == p) {
        break;
      }
      if (b[p] == ' ' || b[p] == '\t') {
        throw new MalformedException("obsolete line folding in the header section");
      }
      int colon = p;
      while (colon < e && b[colon] != ':') {
        byte c = b[colon];
        if (c == ' ' || c == '\t' || c < 0x21 || c == 0x7f) {
          throw new MalformedException("bad header field name '" + new String(b, p, colon - p + 1, StandardCharsets.ISO_8859_1) + "'");
        }
        colon++;
      }
      if (colon == e || colon == p) {
        throw new MalformedException("header line without a field name and ':'");
      }
      int vs = colon + 1;
      while (vs < e && (b[vs] == ' ' || b[vs] == '\t')) {
        vs++;
      }
      int ve = e;
      while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
        ve--;
      }
      HttpString name = name(b, p, colon - p);
      String value = new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1);
      if (name.equals(Headers.CONTENT_LENGTH)) {
        long n = contentLength(value);
        if (contentLength >= 0 && n != contentLength) {
          throw new MalformedException("conflicting Content-Length values");
        }
        contentLength = n;
      } else if (name.equals(Headers.TRANSFER_ENCODING)) {
        transferEncoded = true;
        String last = value.substring(value.lastIndexOf(',') + 1).trim();
        chunked = last.equalsIgnoreCase("chunked");
      } else if (name.equals(Headers.CONNECTION)) {
        for (String t : value.split(",")) {
          String token = t.trim();
          if (token.equalsIgnoreCase("close")) {
            close = true;
          } else if (token.equalsIgnoreCase("keep-alive")) {
            keepAlive = true;
          } else if (!token.isEmpty()) {
            // Any other token names a field that is hop-by-hop on this connection.
            if (connectionTokens == null) {
              connectionTokens = new java.util.ArrayList<>(2);
            }
            connectionTokens.add(token);
          }
        }
      }
      add(name, value);
      p = eol + 1;
    }
    if (transferEncoded && contentLength >= 0) {
      // RFC 9112 §6.3: "ought to be handled as an error" (smuggling, response splitting); a
      // proxy that read the one while its client read the other would split the answer.
      throw new MalformedException("both Content-Length and Transfer-Encoding");
    }
    if (http10 && !keepAlive) {
      close = true;
    }
  }

  /** The known name spelled by {@code b[from..from+len)} in any case, else a new one. */
  private static HttpString name(byte[] b, int from, int len) {
    for (int i = slot(b, from, len); KNOWN[i] != null; i = (i + 1) & (KNOWN.length - 1)) {
      HttpString k = KNOWN[i];
      if (k.length() == len && sameIgnoringCase(k, b, from)) {
        return k;
      }
    }
    return new HttpString(b, from, len);
  }

  private static int slot(byte[] b, int from, int len) {
    int h = 0;
    for (int i = from; i < from + len; i++) {
      h = 31 * h + (b[i] | 0x20);
    }
    return (h ^ (h >>> 7) ^ (h >>> 14)) & (KNOWN.length - 1);
  }

  /**
   * Known names hold letters, digits and '-' only; OR-ing 0x20 folds a letter's case, and the
   * only other byte it maps onto one of those is a control character, which no name holds.
   */
  private static boolean sameIgnoringCase(HttpString k, byte[] b, int from) {
    for (int i = 0, n = k.length(); i < n; i++) {
      if ((k.byteAt(i) | 0x20) != (b[from + i] | 0x20)) {
        return false;
      }
    }
    return true;
  }

  private static long contentLength(String v) throws MalformedException {
    if (v.isEmpty() || v.length() > 18) {
      throw new MalformedException("bad Content-Length '" + v + "'");
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        throw new MalformedException("bad Content-Length '" + v + "'");
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static int lineEnd(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return b.length;
  }

  private void add(HttpString name, String value) {
    if (count == names.length) {
      names = Arrays.copyOf(names, count * 2);
      values = Arrays.copyOf(values, count * 2);
    }
    names[count] = name;
    values[count++] = value;
  }

  /**
   * Puts the end-to-end fields onto {@code out}, replacing any of the same name already there (a
   * field set by an earlier handler yields to the upstream's, as with Undertow's proxy). Drops
   * hop-by-hop fields and those the Connection header names, and Content-Length unless
   * {@code keepLength} (it means nothing next to a Transfer-Encoding).
   */
  public void copyHeaders(HeaderMap out, boolean keepLength) {
    boolean replace = out.size() > 0;
    for (int i = 0; i < count; i++) {
      HttpString n = names[i];
      if (hopByHop(n) || (!keepLength && n.equals(Headers.CONTENT_LENGTH))) {
        continue;
      }
      if (replace && firstOfName(i)) {
        out.remove(n);
      }
      out.add(n, values[i]);
    }
  }

  private boolean firstOfName(int i) {
    for (int j = 0; j < i; j++) {
      if (names[j].equals(names[i])) {
        return false;
      }
    }
    return true;
  }

  private boolean hopByHop(HttpString n) {
    if (n.equals(Headers.CONNECTION) || n.equals(Headers.KEEP_ALIVE) || n.equals(PROXY_CONNECTION) || n.equals(Headers.TE)
        || n.equals(Headers.TRAILER) || n.equals(Headers.TRANSFER_ENCODING) || n.equals(Headers.UPGRADE)
        || n.equals(Headers.PROXY_AUTHENTICATE) || n.equals(Headers.PROXY_AUTHORIZATION) || n.equals(HTTP2_SETTINGS)) {
      return true;
    }
    if (connectionTokens != null) {
      for (String t : connectionTokens) {
        if (n.equalToString(t)) {
          return true;
        }
      }
    }
    return false;
  }
}
