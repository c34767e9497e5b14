package dev.ficus.proxy;

import dev.ficus.config.Specs.EdgeLimits;
import dev.ficus.config.Specs.UpstreamSpec;
import dev.ficus.error.GatewayError;
import dev.ficus.http.BackendSockets;
import dev.ficus.http.Http1Pools;
import dev.ficus.http.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import dev.ficus.http.TlsClient;
import org.xnio.ssl.XnioSsl;

/**
 * Streams a request to a plain HTTP upstream and its answer back: bodies are never held in
 * memory, connections are pooled and kept alive per IO thread, hop-by-hop headers are dropped,
 * WebSocket upgrades pass through, several URLs are balanced round-robin.
 *
 * <p>Two paths. Every request but a WebSocket handshake, with or without a body, from an
 * HTTP/1.x or HTTP/2 client, to {@code http://} or {@code https://} URLs, is forwarded by
 * {@link Http1Exchange}, Ficus's own lean HTTP/1.1 path, which frames request bodies itself and
 * checks every answer strictly. WebSocket handshakes (and a request whose head does not fit a
 * buffer) take Undertow's reverse proxy. Both set the same forwarding headers and give the same
 * problem documents.
 *
 * <p>Request bodies: a Content-Length is counted, a chunked body decoded strictly; a request
 * with both, with several Content-Lengths, or with a transfer coding other than chunked gets 400
 * before anything reaches the upstream.
 *
 * <p>Forwarding headers: when the peer is a trusted proxy, its {@code X-Forwarded-*} and
 * {@code Forwarded} values are kept and extended; otherwise they are removed first so that a
 * client cannot forge its address. Then {@code X-Forwarded-For/-Proto/-Host/-Port/-Server} are
 * set and this handler adds an RFC 7239 {@code Forwarded} element. {@code X-Real-IP} counts as a
 * forwarding header. Headers the gateway owns ({@code X-Ficus-*}: shadow marks, forced targets)
 * never reach an upstream, whoever sent them. A Connection header cannot make Host or
 * Content-Length hop-by-hop, and a request without a Host (HTTP/1.0) is sent the listener's
 * authority. A refused connection and a timeout become 502 and 504 problem+json.
 *
 * <p>Runs on the IO thread; never blocks. One instance per upstream (and prefix rewrite).
 */
public final class UpstreamHandler implements HttpHandler {
  private static final HttpString FORWARDED = new HttpString("Forwarded");
  private static final HttpString[] FORWARDING = {
      Headers.X_FORWARDED_FOR, Headers.X_FORWARDED_PROTO, Headers.X_FORWARDED_HOST, Headers.X_FORWARDED_PORT,
      Headers.X_FORWARDED_SERVER, FORWARDED, new HttpString("X-Real-IP")};
  /** The prefix of the headers the gateway sets or reads as its own (lower case). */
  private static final byte[] OWNED_PREFIX = "x-ficus-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Whether {@code n} is one of the gateway's own headers ({@code X-Ficus-*}), in any case. */
  static boolean gatewayOwned(HttpString n) {
    if (n.length() <= OWNED_PREFIX.length || (n.byteAt(0) | 0x20) != 'x') {
      return false;
    }
    for (int i = 1; i < OWNED_PREFIX.length; i++) {
      if ((n.byteAt(i) | 0x20) != OWNED_PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the request asks for a protocol switch the upstream must see (a WebSocket handshake);
   * shadow copies skip those too. An {@code h2c} offer is not
   * one: it is for this gateway's own listener (which upgrades, or answers in HTTP/1.1); passed
   * on, an h2c-capable upstream would switch the client's connection to HTTP/2 with itself, and
   * every later request on it would bypass the route table.
   */
  public static boolean isProtocolSwitch(HeaderMap h) {
    String c = h.getFirst(Headers.CONNECTION);
    String u = h.getFirst(Headers.UPGRADE);
    return u != null && !u.trim().equalsIgnoreCase("h2c") && c != null
        && c.toLowerCase(java.util.Locale.ROOT).contains("upgrade");
  }

  /** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are never forwarded. */
  private static final HttpString[] HOP_BY_HOP = {
      Headers.CONNECTION, Headers.KEEP_ALIVE, new HttpString("Proxy-Connection"), Headers.TE, Headers.TRAILER,
      Headers.TRANSFER_ENCODING, Headers.UPGRADE, Headers.PROXY_AUTHORIZATION, Headers.PROXY_AUTHENTICATE,
      new HttpString("HTTP2-Settings")};

  private final String name;
  private final ProxyHandler proxy;
  private final Http1Pools http1;
  private final boolean rewriteHost;
  private final long timeoutMillis;
  private final TrustedProxies trusted;
  private final String stripPrefix;
  /** Whether a client that leaves before the answer begins abandons its request (not ignoreClientAbort). */
  private final boolean abortWithClient;
  private final Upload.Pace pace;

  private UpstreamHandler(String name, ProxyHandler proxy, Http1Pools http1, boolean rewriteHost, long timeoutMillis,
      TrustedProxies trusted, String stripPrefix, boolean abortWithClient, Upload.Pace pace) {
    this.name = name;
    this.proxy = proxy;
    this.http1 = http1;
    this.rewriteHost = rewriteHost;
    this.timeoutMillis = timeoutMillis;
    this.trusted = trusted;
    this.stripPrefix = stripPrefix;
    this.abortWithClient = abortWithClient;
    this.pace = pace;
  }

  /**
   * The shared proxy client of one upstream: its connection pools. Build once per upstream.
   * {@code https://} URLs are verified against the upstream's {@code ca} (or the JVM's CAs), and
   * the certificate must name the URL's host. Undertow pools connections per IO thread, so
   * {@code maxConnections} is shared out over the listener's {@code ioThreads}.
   */
  public static UpstreamPools client(UpstreamSpec spec, int ioThreads) {
    int perThread = Math.max(1, spec.maxConnections() / Math.max(1, ioThreads));
    LoadBalancingProxyClient c = new LoadBalancingProxyClient()
        // Undertow's default is sticky routing by the JSESSIONID cookie's ".route" suffix, which
        // parses every request's cookies; hosts here have no routes, so it never picks one.
        .removeSessionCookieName("JSESSIONID")
        .setConnectionsPerThread(perThread)
        .setMaxQueueSize(spec.maxConnections() * 16)
        .setTtl(60_000);
    XnioSsl ssl = null;
    for (URI u : spec.urls()) {
      if ("https".equalsIgnoreCase(u.getScheme())) {
        if (ssl == null) {
          try {
            ssl = TlsClient.xnioSsl(spec.caPem());
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available for upstream " + spec.name() + ": " + e.getMessage(), e);
          }
        }
        c.addHost(u, null, ssl, BackendSockets.OPTIONS);
      } else {
        c.addHost(u, null, null, BackendSockets.OPTIONS);
      }
    }
    return new UpstreamPools(c, new Http1Pools(spec.urls(), perThread, spec.maxConnections() * 16, ssl));
  }

  /**
   * A handler proxying to {@code spec} through {@code client}, removing {@code stripPrefix} (may
   * be null); request bodies are held to {@code edge}'s body timeout and minimum rate.
   */
  public static UpstreamHandler create(UpstreamSpec spec, UpstreamPools pools, TrustedProxies trusted,
      String stripPrefix, EdgeLimits edge) {
    ProxyHandler p = ProxyHandler.builder()
        .setProxyClient(pools.proxy)
        .setMaxRequestTime((int) Math.min(Integer.MAX_VALUE, spec.timeout().toMillis()))
        .setNext(new ResponseCodeHandler(503))
        .setRewriteHostHeader(!spec.keepHost())
        .setReuseXForwarded(true)
        .setMaxConnectionRetries(1)
        .build();
    return new UpstreamHandler(spec.name(), p, pools.http1, !spec.keepHost(), spec.timeout().toMillis(), trusted, stripPrefix,
        !spec.ignoreClientAbort(), new Upload.Pace(edge.bodyTimeout().toNanos(), edge.minBodyRate(),
            EdgeLimits.BODY_RATE_GRACE.toNanos()));
  }

  public String name() {
    return name;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    HeaderMap h = ex.getRequestHeaders();
    boolean protocolSwitch = isProtocolSwitch(h);
    long bodyLength = Http1Exchange.NO_BODY;
    if (!ex.isRequestComplete()) {
      // Read before the hop-by-hop headers (Transfer-Encoding among them) are removed.
      bodyLength = bodyLength(h, ex.getProtocol());
      if (bodyLength == BAD_FRAMING) {
        ex.setPersistent(false);
        Responses.problem(ex, GatewayError.of(GatewayError.Code.MALFORMED_BODY, "The request's body framing is ambiguous"
            + " (Content-Length and Transfer-Encoding, several Content-Lengths, or a coding other than chunked)"));
        return;
      }
    }
    removeHopByHop(h, protocolSwitch);
    Peer peer = peer(ex);
    if (!peer.trusted) {
      for (HttpString f : FORWARDING) {
        h.remove(f);
      }
    }
    String host = h.getFirst(Headers.HOST);
    if (host == null) {
      // An HTTP/1.0 request may come without one; the upstream gets HTTP/1.1, which needs one.
      host = ex.getHostAndPort();
      h.put(Headers.HOST, host);
    }
    String fwd = host == null ? peer.forwarded : peer.forwarded + ";host=\"" + host.replace("\"", "") + '"';
    String prev = h.getFirst(FORWARDED);
    h.put(FORWARDED, prev == null ? fwd : prev + ", " + fwd);
    if (stripPrefix != null) {
      String rel = ex.getRequestPath();
      if (rel.equals(stripPrefix) || rel.startsWith(stripPrefix + "/")) {
        ex.setResolvedPath(stripPrefix);
      }
    }
    if (http1 != null && !protocolSwitch && leanPathFits(ex, bodyLength)
        && Http1Exchange.forward(ex, http1, name, rewriteHost, timeoutMillis, abortWithClient, bodyLength, pace)) {
      return;
    }
    for (long c = h.fastIterateNonEmpty(); c != -1L; c = h.fiNextNonEmpty(c)) {
      HttpString n = h.fiCurrent(c).getHeaderName();
      if (gatewayOwned(n)) {
        h.remove(n);
        c = h.fastIterateNonEmpty(); // the map changed under the cursor
      }
    }
    ex.addResponseCommitListener(e -> {
      if (e.getStatusCode() != 101) {
        removeHopByHop(e.getResponseHeaders(), false);
      }
    });
    // Undertow's proxy ends the exchange with a bare 503 (no connection) or 504 (timeout);
    // an upstream's own answers have started the response and are passed through untouched.
    ex.addDefaultResponseListener(e -> {
      if (e.isResponseStarted()) {
        return false;
      }
      if (e.getStatusCode() == 503) {
        Responses.problem(e, GatewayError.of(GatewayError.Code.BACKEND_UNAVAILABLE,
            "The upstream '" + name + "' could not be reached"));
        return true;
      }
      if (e.getStatusCode() == 504) {
        Responses.problem(e, GatewayError.of(GatewayError.Code.GATEWAY_TIMEOUT,
            "The upstream '" + name + "' did not complete the exchange in time"));
        return true;
      }
      return false;
    });
    proxy.handleRequest(ex);
  }

  /**
   * Whether {@link Http1Exchange} can forward this request: the handler on the connection's IO
   * thread, and no {@code Expect} on a request without a body (the upload answers it).
   */
  private static boolean leanPathFits(HttpServerExchange ex, long bodyLength) {
    return ex.isInIoThread() && (bodyLength != Http1Exchange.NO_BODY || !ex.getRequestHeaders().contains(Headers.EXPECT));
  }

  private static final long BAD_FRAMING = -3;

  /**
   * The body's framing from the request's headers: its Content-Length, {@link Http1Exchange#CHUNKED},
   * or {@link #BAD_FRAMING} when ambiguous (RFC 9112 §6.1: a proxy must not pass such a request on).
   */
  private static long bodyLength(HeaderMap h, HttpString protocol) {
    HeaderValues te = h.get(Headers.TRANSFER_ENCODING);
    HeaderValues cl = h.get(Headers.CONTENT_LENGTH);
    if (te != null) {
      return cl == null && te.size() == 1 && te.getFirst().trim().equalsIgnoreCase("chunked")
          ? Http1Exchange.CHUNKED : BAD_FRAMING;
    }
    if (cl == null) {
      // HTTP/1: no body (RFC 9112 §6.3); HTTP/2: a body of unknown length, ended by its stream.
      return protocol.equals(Protocols.HTTP_1_1) || protocol.equals(Protocols.HTTP_1_0)
          ? Http1Exchange.NO_BODY : Http1Exchange.CHUNKED;
    }
    long n = -1;
    for (String v : cl) {
      long m;
      try {
        m = Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        return BAD_FRAMING;
      }
      if (m < 0 || (n >= 0 && m != n)) {
        return BAD_FRAMING;
      }
      n = m;
    }
    return n;
  }

  /**
   * What the forwarding headers say about the peer of one client connection, worked out on its
   * first request and kept on the connection (the address and scheme cannot change on it);
   * {@code by} tells which trusted-proxy list it was checked against, so a reload re-checks it.
   */
  private record Peer(TrustedProxies by, boolean trusted, String forwarded) {}

  private static final AttachmentKey<Peer> PEER = AttachmentKey.create(Peer.class);

  private Peer peer(HttpServerExchange ex) {
    ServerConnection c = ex.getConnection();
    Peer p = c.getAttachment(PEER);
    if (p == null || p.by != trusted) {
      InetSocketAddress a = ex.getSourceAddress();
      p = new Peer(trusted, a != null && trusted.trusts(a.getAddress()),
          "for=" + (a == null ? "unknown" : forNode(a)) + ";proto=" + ex.getRequestScheme());
      c.putAttachment(PEER, p);
    }
    return p;
  }


  /**
   * Removes the hop-by-hop headers and those the Connection header names. For an upgrade
   * (WebSocket) request, {@code Connection: Upgrade} and {@code Upgrade} are what the
   * upstream must see, so they stay.
   */
  static void removeHopByHop(HeaderMap h, boolean upgrade) {
    String connection = h.getFirst(Headers.CONNECTION);
    if (connection != null) {
      for (String token : connection.split(",")) {
        String t = token.trim();
        // Host and the body's length are end-to-end whatever the client says: without them the
        // upstream would get an HTTP/1.1 request with no Host, or a body it cannot delimit.
        if (!t.isEmpty() && !(upgrade && t.equalsIgnoreCase("upgrade")) && !t.equalsIgnoreCase("host")
            && !t.equalsIgnoreCase("content-length")) {
          h.remove(t);
        }
      }
    }
    for (HttpString hop : HOP_BY_HOP) {
      if (upgrade && (hop.equals(Headers.CONNECTION) || hop.equals(Headers.UPGRADE))) {
        continue;
      }
      h.remove(hop);
    }
    if (upgrade) {
      h.put(Headers.CONNECTION, "Upgrade");
    }
  }

  private static String forNode(InetSocketAddress peer) {
    String a = peer.getAddress().getHostAddress();
    return a.indexOf(':') >= 0 ? "\"[" + a + "]\"" : a;
  }
}
