package dev.ficus.grpc;

import io.grpc.Metadata;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which HTTP request headers travel to the backend as gRPC metadata, and which gRPC response
 * headers and trailers come back as HTTP response headers: two allow-lists of exact names or
 * {@code prefix*} patterns. The request id ({@code x-request-id}) and W3C trace context
 * ({@code traceparent}, {@code tracestate}) are always forwarded. Names that HTTP/2 or gRPC reserve (hop-by-hop headers, {@code grpc-*},
 * binary {@code -bin} headers) cannot be listed; values that are not printable ASCII are left
 * out. Immutable; thread-safe.
 */
final class MetadataPolicy {
  /**
   * Always forwarded: the request's id and W3C trace context, as the chain's context stage
   * ({@link dev.ficus.chain.RequestContext}) wrote them into the request's headers.
   */
  static final List<String> TRACE_CONTEXT = List.of("traceparent", "tracestate", "x-request-id");
  private static final Set<String> RESERVED = Set.of("connection", "keep-alive", "proxy-connection", "te",
      "transfer-encoding", "upgrade", "host", "content-length", "content-type", "user-agent", "http2-settings");

  private final List<Rule> forward;
  private final List<Rule> back;
  /** The exact names of {@link #back} as keys, when it has no prefix rule (no need to list a call's keys). */
  private final List<Metadata.Key<String>> backKeys;

  private record Rule(String name, boolean prefix) {
    boolean test(String header) {
      return prefix ? header.startsWith(name) : header.equals(name);
    }
  }

  private MetadataPolicy(List<Rule> forward, List<Rule> back) {
    this.forward = List.copyOf(forward);
    this.back = List.copyOf(back);
    this.backKeys = back.stream().anyMatch(Rule::prefix) ? null
        : back.stream().map(r -> Metadata.Key.of(r.name(), Metadata.ASCII_STRING_MARSHALLER)).toList();
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
      } else if (!prefix && name.endsWith("-bin")) {
        problem.accept("'" + raw + "' is a binary gRPC header; only text headers are passed on");
      } else {
        out.add(new Rule(name, prefix));
      }
    }
  }

  /** The metadata for a call: the allowed request headers, each value kept. */
  Metadata requestMetadata(HeaderMap headers) {
    Metadata md = new Metadata();
    forEachAllowed(headers, (name, v) -> md.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), v));
    return md;
  }

  /** The allowed request headers as HTTP/2 headers of a direct call (see {@link DirectUnaryClient}). */
  HeaderMap requestHeaders(HeaderMap headers) {
    HeaderMap out = new HeaderMap();
    forEachAllowed(headers, (name, v) -> out.add(HttpString.tryFromString(name), v));
    return out;
  }

  /** Each printable value of each allowed (text) request header, with the header's lower-case name. */
  private void forEachAllowed(HeaderMap headers, java.util.function.BiConsumer<String, String> to) {
    for (HeaderValues hv : headers) {
      String name = hv.getHeaderName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith("-bin") || !allowed(forward, name)) {
        continue;
      }
      for (String v : hv) {
        if (printable(v)) {
          to.accept(name, v);
        }
      }
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
    if (backKeys != null) {
      for (Metadata.Key<String> key : backKeys) {
        Iterable<String> values = md.getAll(key);
        if (values != null) {
          HttpString h = HttpString.tryFromString(key.name());
          values.forEach(v -> out.add(h, v));
        }
      }
      return;
    }
    for (String key : md.keys()) {
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX) || !allowed(back, key)) {
        continue;
      }
      Iterable<String> values = md.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
      if (values != null) {
        HttpString h = HttpString.tryFromString(key);
        values.forEach(v -> out.add(h, v));
      }
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
