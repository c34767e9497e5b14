package dev.ficus.grpc;

import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import io.grpc.Metadata;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which HTTP request headers travel to the backend as gRPC metadata, and which gRPC response
 * headers and trailers come back as HTTP response headers: two allow-lists of exact names or
 * {@code prefix*} patterns. The request id ({@code x-request-id}) and W3C trace context
 * ({@code traceparent}, {@code tracestate}) are always forwarded. Names that HTTP/2 or gRPC
 * reserve (hop-by-hop headers, {@code grpc-*}) cannot be listed; text values that are not
 * printable ASCII are left out.
 *
 * <p>Binary metadata (a name ending in {@code -bin}, exact or matched by a prefix) travels as the
 * gRPC HTTP/2 spec and grpc-gateway carry it: base64 on the HTTP side, bytes in gRPC. A request
 * header's value is base64 (standard or URL-safe alphabet, padded or not; several values may be
 * comma-separated in one header line); one that is not is the client's error, a
 * {@link GatewayException} (400) that names the header. A reply's binary header or trailer comes
 * back as padded standard base64. Immutable; thread-safe.
 */
final class MetadataPolicy {
  /**
   * Always forwarded: the request's id and W3C trace context, as the chain's context stage
   * ({@link dev.ficus.chain.RequestContext}) wrote them into the request's headers.
   */
  static final List<String> TRACE_CONTEXT = List.of("traceparent", "tracestate", "x-request-id");
  private static final Set<String> RESERVED = Set.of("connection", "keep-alive", "proxy-connection", "te",
      "transfer-encoding", "upgrade", "host", "content-length", "content-type", "user-agent", "http2-settings");

  private static final java.util.regex.Pattern GRPC_NAME = java.util.regex.Pattern.compile("[a-z0-9_.\\-]+");

  private final List<Rule> forward;
  private final List<Rule> back;
  /** The exact names of {@link #back}, when it has no prefix rule (no need to list a call's keys). */
  private final List<String> backNames;

  private record Rule(String name, boolean prefix) {
    boolean test(String header) {
      return prefix ? header.startsWith(name) : header.equals(name);
    }
  }

  private MetadataPolicy(List<Rule> forward, List<Rule> back) {
    this.forward = List.copyOf(forward);
    this.back = List.copyOf(back);
    this.backNames = back.stream().anyMatch(Rule::prefix) ? null : back.stream().map(Rule::name).toList();
  }

  /** Compiles the two lists; each unusable entry is reported to {@code forwardProblem}/{@code returnProblem}. */
  static MetadataPolicy compile(List<String> forward, List<String> back, Consumer<String> forwardProblem,
      Consumer<String> returnProblem) {
    List<Rule> f = new ArrayList<>();
    TRACE_CONTEXT.forEach(n -> f.add(new Rule(n, false)));
    rules(forward, f, forwardProblem);
    List<Rule> b = new ArrayList<>();
    rules(back, b, returnProblem);
    return new MetadataPolicy(f, b);
  }

  private static void rules(List<String> names, List<Rule> out, Consumer<String> problem) {
    for (String raw : names) {
      String n = raw.toLowerCase(Locale.ROOT).trim();
      boolean prefix = n.endsWith("*");
      String name = prefix ? n.substring(0, n.length() - 1) : n;
      if (name.isEmpty() || !name.matches("[a-z0-9][a-z0-9_.\\-]*")) {
        problem.accept("'" + raw + "' is not a header name (letters, digits, - _ . and an optional final *)");
      } else if (name.startsWith("grpc-") || name.startsWith(":") || RESERVED.contains(name)) {
        problem.accept("'" + raw + "' is reserved by HTTP/2 or gRPC and cannot be passed on");
      } else {
        out.add(new Rule(name, prefix));
      }
    }
  }

  /**
   * The metadata for a call: the allowed request headers, each value kept, binary ones decoded.
   *
   * @throws GatewayException (400) when an allowed {@code -bin} header is not base64
   */
  Metadata requestMetadata(HeaderMap headers) {
    Metadata md = new Metadata();
    forEachAllowed(headers, new Sink() {
      @Override
      public void text(String name, String value) {
        md.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
      }

      @Override
      public void binary(String name, byte[] value) {
        md.put(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER), value);
      }
    });
    return md;
  }

  /**
   * The allowed request headers as HTTP/2 headers of a direct call (see {@link DirectUnaryClient}):
   * text values as they are, binary ones checked and written again as unpadded base64, the form
   * grpc-java sends.
   *
   * @throws GatewayException (400) when an allowed {@code -bin} header is not base64
   */
  HeaderMap requestHeaders(HeaderMap headers) {
    HeaderMap out = new HeaderMap();
    forEachAllowed(headers, new Sink() {
      @Override
      public void text(String name, String value) {
        out.add(HttpString.tryFromString(name), value);
      }

      @Override
      public void binary(String name, byte[] value) {
        out.add(HttpString.tryFromString(name), Base64.getEncoder().withoutPadding().encodeToString(value));
      }
    });
    return out;
  }

  /** Where {@link #forEachAllowed} puts each value. */
  private interface Sink {
    void text(String name, String value);

    void binary(String name, byte[] value);
  }

  /** Each printable text value and each decoded binary value of each allowed request header, by lower-case name. */
  private void forEachAllowed(HeaderMap headers, Sink to) {
    for (HeaderValues hv : headers) {
      String name = hv.getHeaderName().toString().toLowerCase(Locale.ROOT);
      // A prefix can match a name that HTTP allows and gRPC does not (x-a!b): it is left out.
      if (!allowed(forward, name) || !GRPC_NAME.matcher(name).matches()) {
        continue;
      }
      boolean binary = name.endsWith(Metadata.BINARY_HEADER_SUFFIX);
      for (String v : hv) {
        if (!binary) {
          if (printable(v)) {
            to.text(name, v);
          }
          continue;
        }
        // As in gRPC's HTTP/2 mapping, one header line may carry several values, comma-separated.
        for (String part : v.split(",", -1)) {
          to.binary(name, decode(name, part.trim()));
        }
      }
    }
  }

  /** The bytes of a binary header's value: standard or URL-safe base64, padded or not. */
  static byte[] decode(String header, String value) {
    try {
      return (value.indexOf('-') >= 0 || value.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
          .decode(value);
    } catch (IllegalArgumentException e) {
      throw new GatewayException(GatewayError.invalid("Header " + header + " is binary gRPC metadata and its value "
          + "is not base64", List.of(new GatewayError.FieldError("header:" + header, "is binary gRPC metadata "
          + "(its name ends in -bin): send its value as base64 (RFC 4648, padded or not)"))));
    }
  }

  /** gRPC text metadata is printable ASCII; other values are left out rather than mangled. */
  private static boolean printable(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** Copies the allowed response headers and trailers of a call into the HTTP response headers. */
  void copyBack(Metadata headers, Metadata trailers, HeaderMap out) {
    if (back.isEmpty()) {
      return;
    }
    copy(headers, out);
    copy(trailers, out);
  }

  private void copy(Metadata md, HeaderMap out) {
    if (md == null) {
      return;
    }
    if (backNames != null) {
      backNames.forEach(name -> copyOne(md, name, out));
      return;
    }
    for (String key : md.keys()) {
      if (allowed(back, key)) {
        copyOne(md, key, out);
      }
    }
  }

  /** Every value of {@code name}, a binary one as padded standard base64. */
  private static void copyOne(Metadata md, String name, HeaderMap out) {
    HttpString h = HttpString.tryFromString(name);
    if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      Iterable<byte[]> values = md.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER));
      if (values != null) {
        values.forEach(v -> out.add(h, Base64.getEncoder().encodeToString(v)));
      }
      return;
    }
    Iterable<String> values = md.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    if (values != null) {
      values.forEach(v -> out.add(h, v));
    }
  }

  boolean returnsAny() {
    return !back.isEmpty();
  }

  private static boolean allowed(List<Rule> rules, String name) {
    for (Rule r : rules) {
      if (r.test(name)) {
        return true;
      }
    }
    return false;
  }
}
