package dev.ficus.server;

import dev.ficus.error.GatewayError;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * A strict reader of the framing of the HTTP/1.1 requests a client sends on one connection: it
 * walks every byte once, before Undertow's parser sees it, and says where the first request
 * begins that Ficus refuses to serve, and why.
 *
 * <p>Design: Undertow's parser is lenient where a gateway must not be (RFC 9112 §6.3 and §11.2:
 * a front end that frames a request differently from the server behind it lets a client smuggle
 * a second request past it). Rather than patch Undertow's parser and chunked conduit, this class
 * re-reads the byte stream with the strict rules and decides, byte by byte, where each request
 * head, body and chunk ends. Undertow only ever gets the bytes that come before a refused
 * request, so it never sees a complete head that Ficus refuses, nor the bytes behind one. The
 * rules (each refusal is a 400 unless noted):
 * <ul>
 *   <li>every line ends in CRLF: a bare LF or a bare CR, in the head or in a chunked body, is
 *       refused; so are NUL and other control bytes (HTAB in field values excepted), and empty
 *       lines before a request line (which Undertow's parser would refuse with a bare 400);
 *   <li>request line: the method is upper-case letters, {@code _} or {@code -} (as nginx), the
 *       target is origin-form, absolute-form or (OPTIONS only) {@code *}, of visible ASCII without
 *       the characters RFC 3986 says must be escaped ({@code " < > \ ^ ` { | }}), with valid
 *       {@code %} escapes and at most 1000 query parameters, the version is exactly
 *       {@code HTTP/1.1} or {@code HTTP/1.0} (so HTTP/0.9 is refused);
 *   <li>header fields: a token name directly followed by {@code :}, no obs-fold; at most
 *       {@code maxHeaders} fields and {@code maxHeadSize} bytes in the head (else 431); an
 *       HTTP/1.1 request has exactly one {@code Host};
 *   <li>body framing: {@code Content-Length} is 1 to 19 digits and every copy of it is the same;
 *       {@code Transfer-Encoding} is exactly {@code chunked}, once, in HTTP/1.1, and never beside
 *       {@code Content-Length};
 *   <li>chunked bodies: a chunk size of 1 to 15 hex digits, extensions of visible characters at
 *       most 4 KB long, CRLF after the size line and after the data; trailers follow the field
 *       rules and share the head's limits.
 * </ul>
 * A request with an {@code Upgrade} field ends the reading: what follows it may be another
 * protocol (WebSocket, h2c), so {@link #transparent()} becomes true and every later byte is
 * let through; the connection is closed after such a request unless it was upgraded.
 *
 * <p>Memory: a few counters and at most 64 bytes of one field value, whatever the client sends.
 * Not thread-safe: one instance per connection, used on its IO thread.
 */
final class RequestFraming {
  /** The longest chunk-size line extension accepted. */
  static final int MAX_CHUNK_EXTENSION = 4096;
  /** Undertow's own limit ({@code UndertowOptions.MAX_PARAMETERS}), which it answers with a bare 400. */
  static final int MAX_QUERY_PARAMETERS = 1000;
  private static final byte[] OPTIONS = "OPTIONS".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** A framing field value longer than this is refused (no valid one comes close). */
  private static final int MAX_FRAMING_VALUE = 64;

  private enum State {
    LINE_START, METHOD, TARGET, PERCENT_1, PERCENT_2, VERSION, REQUEST_LINE_LF,
    FIELD_START, FIELD_NAME, FIELD_VALUE, FIELD_LF, HEAD_LF,
    FIXED_BODY, CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_SIZE_LF, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF,
    TRANSPARENT, REFUSED
  }

  /** Which field's value is being kept, if any. */
  private enum Field { OTHER, CONTENT_LENGTH, TRANSFER_ENCODING, HOST, UPGRADE }

  private static final byte[] HTTP_1_ = "HTTP/1.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final int maxHeadSize;
  private final int maxHeaders;

  private State state = State.LINE_START;
  private GatewayError refusal;
  private boolean refusedInHead;

  // The current message.
  private boolean trailers;
  private int headBytes;
  private int fields;
  private int methodBytes;
  private boolean options;
  private boolean asteriskForm;
  private int queryParameters;
  private int targetBytes;
  private int versionIndex;
  private boolean http10;
  private int hosts;
  private boolean upgrade;
  private long contentLength = -1;
  private int transferEncodings;
  private boolean chunked;
  private final StringBuilder name = new StringBuilder(20);
  private final StringBuilder value = new StringBuilder(MAX_FRAMING_VALUE);
  private Field field = Field.OTHER;
  private boolean nameTooLongToMatter;
  private int nameBytes;
  private long remaining;
  private int sizeDigits;
  private int extensionBytes;
  /** Where, in the range being scanned, the current message began; -1 if before it. */
  private int messageStart;

  RequestFraming(int maxHeadSize, int maxHeaders) {
    this.maxHeadSize = maxHeadSize;
    this.maxHeaders = maxHeaders;
  }

  /** Every byte from here on is let through unread (after a request with {@code Upgrade}). */
  boolean transparent() {
    return state == State.TRANSPARENT;
  }

  /** Why the client's bytes were refused, or null while they are not. */
  GatewayError refusal() {
    return refusal;
  }

  /** True when the refused bytes are in a request head (not in a body or its trailers). */
  boolean refusedInHead() {
    return refusedInHead;
  }

  /** True while a request head or trailers are being read, or no request has begun. */
  private boolean inHead() {
    return state.ordinal() <= State.HEAD_LF.ordinal();
  }

  /**
   * Reads {@code buf}'s bytes at absolute indexes {@code [from, to)} (the buffer's position is
   * not moved). Returns {@code to} when all of them may be passed on; otherwise the index up to
   * which they may: the start of the refused request when it began in this range, else
   * {@code from}. After a refusal, {@link #refusal()} says why and nothing more is read.
   */
  int scan(ByteBuffer buf, int from, int to) {
    messageStart = -1;
    int i = from;
    while (i < to) {
      if (state == State.LINE_START && headBytes == 0) {
        messageStart = i;
      }
      switch (state) {
        case TRANSPARENT:
          return to;
        case REFUSED:
          return cut(from);
        case FIXED_BODY: {
          int n = (int) Math.min(remaining, to - i);
          i += n;
          remaining -= n;
          if (remaining == 0) {
            endMessage();
          }
          continue;
        }
        case CHUNK_DATA: {
          int n = (int) Math.min(remaining, to - i);
          i += n;
          remaining -= n;
          if (remaining == 0) {
            state = State.CHUNK_DATA_CR;
          }
          continue;
        }
        default:
          break;
      }
      if (!step(buf.get(i) & 0xff)) {
        return cut(from);
      }
      i++;
    }
    return to;
  }

  private int cut(int from) {
    return messageStart >= 0 ? messageStart : from;
  }

  /** One byte of a head, a chunk line or trailers; false when it makes the request refused. */
  private boolean step(int b) {
    if (inHead()) {
      if (++headBytes > maxHeadSize) {
        return tooLarge((trailers ? "the request's trailer fields are" : "the request head is")
            + " larger than " + maxHeadSize + " bytes");
      }
    }
    switch (state) {
      case LINE_START:
        if (b == '\r' || b == '\n') {
          // RFC 9112 §2.2 lets a server ignore empty lines here, but Undertow's parser refuses
          // them (with a bare 400): refuse them here, with a problem document.
          return bad("an empty line before the request line");
        }
        state = State.METHOD;
        methodBytes = 0;
        return method(b);
      case METHOD:
        if (b == ' ') {
          if (methodBytes == 0) {
            return bad("the request line has no method");
          }
          options &= methodBytes == OPTIONS.length;
          state = State.TARGET;
          targetBytes = 0;
          return true;
        }
        return method(b);
      case TARGET:
        if (b == ' ') {
          if (targetBytes == 0) {
            return bad("the request line has no target");
          }
          state = State.VERSION;
          versionIndex = 0;
          return true;
        }
        if (b == '\r' || b == '\n') {
          return bad("the request line has no HTTP version (HTTP/0.9 is not served)");
        }
        if (targetBytes++ == 0) {
          if (!targetStart(b)) {
            return false;
          }
        } else if (asteriskForm) {
          return bad("a request target that begins with '*' must be exactly '*'");
        }
        if (b == '%') {
          state = State.PERCENT_1;
          return true;
        }
        if (b == '?' && queryParameters == 0) {
          queryParameters = 1;
        } else if (b == '&' && queryParameters > 0 && ++queryParameters > MAX_QUERY_PARAMETERS) {
          return bad("the query has more than " + MAX_QUERY_PARAMETERS + " parameters");
        }
        if (b <= 0x20 || b >= 0x7f) {
          return bad("the request target has a byte that is not visible ASCII: 0x" + Integer.toHexString(b));
        }
        // RFC 3986 §2: these must be percent-encoded; Undertow's parser refuses them with a bare 400.
        return "\"<>\\^`{|}".indexOf(b) < 0 || bad("the request target has '" + (char) b + "', which must be "
            + "percent-encoded");
      case PERCENT_1:
        state = State.PERCENT_2;
        return hex(b) >= 0 || bad("the request target has a '%' that is not followed by two hex digits");
      case PERCENT_2:
        state = State.TARGET;
        return hex(b) >= 0 || bad("the request target has a '%' that is not followed by two hex digits");
      case VERSION:
        return version(b);
      case REQUEST_LINE_LF:
        state = State.FIELD_START;
        return b == '\n' || bad("a bare CR in the request line");
      case FIELD_START:
        if (b == '\r') {
          state = State.HEAD_LF;
          return true;
        }
        if (b == ' ' || b == '\t') {
          return bad("a header field is folded over two lines (obs-fold)");
        }
        if (++fields > maxHeaders) {
          return tooLarge("the request has more than " + maxHeaders + " header fields");
        }
        name.setLength(0);
        nameBytes = 0;
        nameTooLongToMatter = false;
        state = State.FIELD_NAME;
        return fieldName(b);
      case FIELD_NAME:
        if (b == ':') {
          if (nameBytes == 0) {
            return bad("a header field has an empty name");
          }
          startValue();
          state = State.FIELD_VALUE;
          return true;
        }
        return fieldName(b);
      case FIELD_VALUE:
        if (b == '\r') {
          state = State.FIELD_LF;
          return true;
        }
        if (b == '\n') {
          return bad("a header field ends in a bare LF");
        }
        if (b < 0x20 && b != '\t' || b == 0x7f) {
          return bad("a header field value has the control byte 0x" + Integer.toHexString(b));
        }
        if (field != Field.OTHER) {
          if (value.length() == MAX_FRAMING_VALUE) {
            return bad("the " + fieldName() + " field is too long");
          }
          value.append((char) b);
        }
        return true;
      case FIELD_LF:
        if (b != '\n') {
          return bad("a bare CR in a header field");
        }
        state = State.FIELD_START;
        return endField();
      case HEAD_LF:
        if (b != '\n') {
          return bad("a bare CR at the end of the head");
        }
        return trailers ? endMessageAfterTrailers() : endHead();
      case CHUNK_SIZE:
        if (hex(b) >= 0) {
          if (++sizeDigits > 15) {
            return bad("a chunk size has more than 15 hex digits");
          }
          remaining = remaining << 4 | hex(b);
          return true;
        }
        if (sizeDigits == 0) {
          return bad("a chunk size line does not begin with a hex digit");
        }
        if (b == ';' || b == ' ' || b == '\t') {
          state = State.CHUNK_EXTENSION;
          extensionBytes = 1;
          return true;
        }
        if (b == '\r') {
          state = State.CHUNK_SIZE_LF;
          return true;
        }
        return bad(b == '\n' ? "a chunk size line ends in a bare LF" : "a chunk size has the byte 0x"
            + Integer.toHexString(b));
      case CHUNK_EXTENSION:
        if (b == '\r') {
          state = State.CHUNK_SIZE_LF;
          return true;
        }
        if (b == '\n') {
          return bad("a chunk extension ends in a bare LF");
        }
        if (b < 0x20 && b != '\t' || b == 0x7f) {
          return bad("a chunk extension has the control byte 0x" + Integer.toHexString(b));
        }
        return ++extensionBytes <= MAX_CHUNK_EXTENSION
            || bad("a chunk extension is longer than " + MAX_CHUNK_EXTENSION + " bytes");
      case CHUNK_SIZE_LF:
        if (b != '\n') {
          return bad("a bare CR in a chunk size line");
        }
        if (remaining == 0) {
          // The last chunk: trailer fields, then an empty line.
          trailers = true;
          headBytes = 0;
          fields = 0;
          state = State.FIELD_START;
        } else {
          state = State.CHUNK_DATA;
        }
        return true;
      case CHUNK_DATA_CR:
        state = State.CHUNK_DATA_LF;
        return b == '\r' || bad("a chunk's data is not followed by CRLF");
      case CHUNK_DATA_LF:
        startChunk();
        return b == '\n' || bad("a chunk's data is not followed by CRLF");
      default:
        throw new IllegalStateException(state.name());
    }
  }

  /**
   * The first byte of a target: origin-form ({@code /}), absolute-form (a scheme's letter) or,
   * for OPTIONS only, asterisk-form; Undertow's parser refuses the rest with a bare 400.
   */
  private boolean targetStart(int b) {
    queryParameters = 0;
    asteriskForm = b == '*';
    if (asteriskForm) {
      return options || bad("only OPTIONS may have the target '*'");
    }
    return b == '/' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
        || bad("the request target does not begin with '/' (nor is it an absolute URI)");
  }

  private boolean method(int b) {
    if (b >= 'A' && b <= 'Z' || b == '_' || b == '-') {
      options = methodBytes < OPTIONS.length && b == OPTIONS[methodBytes] && (methodBytes == 0 || options);
      methodBytes++;
      return true;
    }
    if (b == '\r' || b == '\n') {
      return bad("the request line has no target");
    }
    if (b == ' ' && methodBytes == 0) {
      return bad("the request line has no method");
    }
    return bad(b >= 'a' && b <= 'z'
        ? "the method is not upper case (methods are case-sensitive)"
        : "the method has the byte 0x" + Integer.toHexString(b));
  }

  private boolean version(int b) {
    int i = versionIndex++;
    if (i < HTTP_1_.length) {
      return b == HTTP_1_[i] || badVersion();
    }
    if (i == HTTP_1_.length) {
      if (b != '0' && b != '1') {
        return badVersion();
      }
      http10 = b == '0';
      return true;
    }
    if (b == '\r') {
      state = State.REQUEST_LINE_LF;
      return true;
    }
    return bad(b == '\n' ? "the request line ends in a bare LF" : "the HTTP version is not HTTP/1.1 or HTTP/1.0");
  }

  private boolean badVersion() {
    return bad("the HTTP version is not HTTP/1.1 or HTTP/1.0");
  }

  private boolean fieldName(int b) {
    if (!tchar(b)) {
      return bad(b == ' ' || b == '\t' ? "a header field name is followed by whitespace before ':'"
          : b == '\n' ? "a header field ends in a bare LF" : "a header field name has the byte 0x"
          + Integer.toHexString(b));
    }
    nameBytes++;
    if (trailers) {
      return true;
    }
    if (name.length() < 20) {
      name.append((char) (b >= 'A' && b <= 'Z' ? b + 32 : b));
    } else {
      nameTooLongToMatter = true;
    }
    return true;
  }

  private void startValue() {
    value.setLength(0);
    field = Field.OTHER;
    if (trailers || nameTooLongToMatter) {
      return;
    }
    switch (name.toString()) {
      case "content-length" -> field = Field.CONTENT_LENGTH;
      case "transfer-encoding" -> field = Field.TRANSFER_ENCODING;
      case "host" -> field = Field.HOST;
      case "upgrade" -> field = Field.UPGRADE;
      default -> field = Field.OTHER;
    }
  }

  private String fieldName() {
    return switch (field) {
      case CONTENT_LENGTH -> "Content-Length";
      case TRANSFER_ENCODING -> "Transfer-Encoding";
      case HOST -> "Host";
      case UPGRADE -> "Upgrade";
      case OTHER -> "header";
    };
  }

  private boolean endField() {
    String v = value.toString().strip();
    switch (field) {
      case CONTENT_LENGTH -> {
        if (v.isEmpty() || v.length() > 19 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
          return bad("Content-Length is not 1 to 19 digits: '" + v + "'");
        }
        if (contentLength >= 0) {
          // As nginx; Undertow would refuse it too, with a bare 400.
          return bad("Content-Length is given more than once");
        }
        contentLength = Long.parseLong(v);
      }
      case TRANSFER_ENCODING -> {
        transferEncodings++;
        chunked = v.toLowerCase(Locale.ROOT).equals("chunked");
        if (!chunked) {
          return bad("Transfer-Encoding is not exactly 'chunked': '" + v + "'");
        }
      }
      case HOST -> hosts++;
      case UPGRADE -> upgrade = true;
      case OTHER -> { }
    }
    return true;
  }

  private boolean endHead() {
    if (transferEncodings > 0) {
      if (transferEncodings > 1) {
        return bad("Transfer-Encoding is given more than once");
      }
      if (http10) {
        return bad("an HTTP/1.0 request has Transfer-Encoding");
      }
      if (contentLength >= 0) {
        return bad("the request has both Transfer-Encoding and Content-Length");
      }
    }
    if (!http10 && hosts != 1) {
      return bad(hosts == 0 ? "an HTTP/1.1 request has no Host field" : "the request has more than one Host field");
    }
    if (chunked) {
      trailers = false;
      startChunk();
    } else if (contentLength > 0) {
      remaining = contentLength;
      state = State.FIXED_BODY;
    } else {
      endMessage();
    }
    return true;
  }

  private void startChunk() {
    state = State.CHUNK_SIZE;
    remaining = 0;
    sizeDigits = 0;
  }

  private boolean endMessageAfterTrailers() {
    endMessage();
    return true;
  }

  private void endMessage() {
    boolean wasUpgrade = upgrade;
    trailers = false;
    headBytes = 0;
    fields = 0;
    http10 = false;
    hosts = 0;
    upgrade = false;
    contentLength = -1;
    transferEncodings = 0;
    chunked = false;
    remaining = 0;
    state = wasUpgrade ? State.TRANSPARENT : State.LINE_START;
  }

  private boolean bad(String detail) {
    return refuse(GatewayError.of(GatewayError.Code.MALFORMED_REQUEST, detail));
  }

  private boolean tooLarge(String detail) {
    return refuse(GatewayError.of(GatewayError.Code.REQUEST_HEAD_TOO_LARGE, detail));
  }

  private boolean refuse(GatewayError e) {
    refusedInHead = inHead() && !trailers;
    refusal = e;
    state = State.REFUSED;
    return false;
  }

  private static int hex(int b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  /** RFC 9110 §5.6.2 token characters. */
  private static boolean tchar(int b) {
    if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
      return true;
    }
    return switch (b) {
      case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
      default -> false;
    };
  }
}
