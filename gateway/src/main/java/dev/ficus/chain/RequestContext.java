package dev.ficus.chain;

import dev.ficus.proxy.TrustedProxies;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the gateway knows about one request before any route-specific work: its id, its W3C
 * trace, the client's address and, once authentication has run, its consumer. Made by the
 * {@link RequestContextStage} at the head of every chain and attached to the exchange under
 * {@link #KEY}; everything downstream (the pass-through's and shadow copies' headers, SOAP
 * backends' HTTP headers, gRPC metadata, problem documents, logs) reads it from there.
 *
 * <p>Request id: the client's {@code X-Request-Id} when it is a plain token of at most 64
 * characters ({@code A-Z a-z 0-9 . _ : -}), so that a client can find its own request, else a new
 * random one; any other value is replaced, so that it cannot forge log lines. Trace: the client's
 * {@code traceparent} when valid (with its {@code tracestate}), else a new trace. The stage writes
 * both values back into the request's headers, so every hop the request is forwarded to sees the
 * same ones.
 *
 * <p>Threads: made on the IO thread; the id and trace are final, the client address is worked
 * out on first use (the same value on any thread), the consumer is set once by authentication
 * before any backend call. Never null once attached.
 */
public final class RequestContext {
  public static final AttachmentKey<RequestContext> KEY = AttachmentKey.create(RequestContext.class);
  public static final HttpString X_REQUEST_ID = new HttpString("X-Request-Id");
  public static final HttpString TRACEPARENT = new HttpString("traceparent");
  public static final HttpString TRACESTATE = new HttpString("tracestate");
  private static final int MAX_ID = 64;

  private final String requestId;
  private final TraceParent trace;
  private final String traceState;
  private final InetSocketAddress peer;
  private final TrustedProxies trusted;
  private final String forwardedFor;
  private String client;
  private volatile String consumer;

  RequestContext(String requestId, TraceParent trace, String traceState, InetSocketAddress peer,
      TrustedProxies trusted, String forwardedFor) {
    this.requestId = requestId;
    this.trace = trace;
    this.traceState = traceState;
    this.peer = peer;
    this.trusted = trusted;
    this.forwardedFor = forwardedFor;
  }

  /** The request's context: the one the chain attached, or (for a handler reached without a chain) a new one, attached now. */
  public static RequestContext of(HttpServerExchange ex) {
    RequestContext c = ex.getAttachment(KEY);
    if (c == null) {
      c = read(ex, TrustedProxies.NONE);
      ex.putAttachment(KEY, c);
    }
    return c;
  }

  /** Reads the request's id and trace from its headers (or makes them); {@code trusted} decides whose X-Forwarded-For counts. */
  static RequestContext read(HttpServerExchange ex, TrustedProxies trusted) {
    var h = ex.getRequestHeaders();
    String id = h.getFirst(X_REQUEST_ID);
    if (!plainToken(id)) {
      id = TraceParent.hex16(ThreadLocalRandom.current().nextLong());
    }
    TraceParent trace = h.count(TRACEPARENT) == 1 ? TraceParent.parse(h.getFirst(TRACEPARENT)) : null;
    String state = null;
    if (trace == null) {
      trace = TraceParent.start();
    } else {
      state = h.getFirst(TRACESTATE);
    }
    return new RequestContext(id, trace, state, ex.getSourceAddress(), trusted,
        trusted.isEmpty() ? null : h.getLast(io.undertow.util.Headers.X_FORWARDED_FOR));
  }

  static boolean plainToken(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_ID) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** The request's id: the client's, when it was a plain token, or the gateway's. */
  public String requestId() {
    return requestId;
  }

  /** The request's trace: the client's, or one the gateway started. */
  public TraceParent trace() {
    return trace;
  }

  /** The client's {@code tracestate}, kept only with its valid traceparent; null when none. */
  public String traceState() {
    return traceState;
  }

  /**
   * The client's address: the connection's peer, or, when the peer is a trusted proxy, the
   * nearest address in {@code X-Forwarded-For} that is not one (the others could be forged by
   * the client). Never null ({@code "unknown"} without a peer).
   */
  public String clientAddress() {
    String c = client;
    if (c == null) {
      c = resolveClient();
      client = c;
    }
    return c;
  }

  private String resolveClient() {
    InetAddress a = peer == null ? null : peer.getAddress();
    String address = a == null ? (peer == null ? "unknown" : peer.getHostString()) : a.getHostAddress();
    if (a == null || forwardedFor == null || !trusted.trusts(a)) {
      return address;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty()) {
        continue;
      }
      InetAddress h = TrustedProxies.literal(hop);
      if (h == null) {
        // Not an address (a trusted proxy's "unknown", or text): nobody known sent it.
        return "unknown";
      }
      address = h.getHostAddress();
      if (!trusted.trusts(h)) {
        return address;
      }
    }
    return address;
  }

  /** The authenticated consumer's name; null before authentication or for an anonymous request. */
  public String consumer() {
    return consumer;
  }

  /** Set by authentication, once, before any backend call. */
  public void consumer(String name) {
    this.consumer = name;
  }
}
