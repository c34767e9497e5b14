package dev.ficus.proxy;

import dev.ficus.error.GatewayError;
import dev.ficus.http.BodyFraming;
import dev.ficus.http.ClientGone;
import dev.ficus.http.Deadlines;
import dev.ficus.http.Http1Pools;
import dev.ficus.http.ResponseHead;
import dev.ficus.http.Responses;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.NetworkUtils;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.ConduitStreamSinkChannel;

/**
 * One request forwarded over HTTP/1.1 without Undertow's proxy machinery: every pass-through
 * request but WebSocket handshakes, from HTTP/1.x and HTTP/2 clients, to {@code http://} and
 * {@code https://} upstreams ({@link Http1Pools} speaks TLS). Most have no body; an upload's
 * body is streamed by {@link Upload}.
 *
 * <p>Design: the request head is written straight into a pooled buffer (forwarding headers set as
 * Undertow's {@code ProxyHandler} sets them), sent on a keep-alive connection of this IO thread
 * ({@link Http1Pools}), and the same buffer then reads the response: its head is parsed once, its
 * headers go onto the exchange (hop-by-hop ones dropped), and its body is streamed to the client
 * as it arrives, with Content-Length, chunked (de-chunked here, re-framed by Undertow) or
 * close-delimited framing. A client slower than the upstream suspends the upstream's reads, so
 * memory stays at one buffer per request (two for an upload) whatever the body's size.
 * Everything runs on the exchange's IO thread; nothing blocks.
 *
 * <p>The answer is committed to the client only when its body yields its first byte or its end:
 * until then, a malformed chunk size or an upstream closing early is still a 502. An upload's
 * body goes out as the answer is awaited; an answer that comes first ends the upload (the
 * connections to the client and the upstream are then not reused). An upstream connection
 * closed while its request body is incomplete is reset (RST), never ended as if the body were
 * whole.
 *
 * <p>Errors: no connection → 502 (after one retry on another URL), a reused connection that the
 * upstream closed before answering → the request is sent again on a new one (idempotent methods
 * only, and never with a body), a malformed response head or body framing before the answer is
 * committed → 502, a body after a 204/304/HEAD answer → 502, the upstream's {@code timeout}
 * passing → 504 (or the client connection closed, once the response has started), a damaged
 * or too slow request body → 400 / 408 ({@link Upload}).
 */
final class Http1Exchange extends Deadlines.Entry implements Http1Pools.Client, ChannelListener<StreamSinkChannel>,
    Upload.Owner {
  /** {@code bodyLength} of a request without a body. */
  static final long NO_BODY = -2;
  /** {@code bodyLength} of a chunked request body (or an HTTP/2 one of unknown length). */
  static final long CHUNKED = -1;

  private static final byte[] HTTP11_CRLF = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COLON_SP = ": ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] CHUNKED_CODING = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);

  private static final int WAITING = 0, SENDING = 1, HEAD = 2, BODY = 3, FLUSHING = 4, DONE = 5;

  private final HttpServerExchange ex;
  private final Http1Pools pools;
  private final String name;
  private final boolean rewriteHost;
  private final PooledByteBuffer pooled;
  private final ByteBuffer buf;
  private Http1Pools.Pool pool;
  private Http1Pools.Connection conn;
  private int phase = WAITING;
  private boolean reused;
  private boolean retried;
  private boolean readsSuspended;

  private BodyFraming body;
  private boolean reusable;
  /** The answer's head, until it is committed to the client ({@link #commit}). */
  private ResponseHead answer;
  private StreamSinkChannel sink;
  /** The request's body on its way to the upstream; null when it has none. */
  private final Upload upload;
  private boolean uploadStarted;
  private boolean abortWithClient;
  /** Watches the client until the answer begins; null before {@link #begin}, and when the upstream ignores client aborts. */
  private ClientGone.Watch watch;

  private Http1Exchange(HttpServerExchange ex, Http1Pools pools, String name, boolean rewriteHost, long bodyLength,
      Upload.Pace pace) {
    this.ex = ex;
    this.pools = pools;
    this.name = name;
    this.rewriteHost = rewriteHost;
    this.upload = bodyLength == NO_BODY ? null : new Upload(ex, this, bodyLength, pace);
    this.pooled = ex.getConnection().getByteBufferPool().allocate();
    this.buf = pooled.getBuffer();
  }

  /**
   * Forwards {@code ex} and returns true, or returns false having done nothing (its head does not
   * fit a buffer): the caller then takes the general path. With {@code abortWithClient}, a client
   * that leaves before the answer begins abandons the request. {@code bodyLength}: the body's
   * Content-Length, {@link #CHUNKED} or {@link #NO_BODY}; {@code pace} bounds an upload's pace.
   */
  static boolean forward(HttpServerExchange ex, Http1Pools pools, String name, boolean rewriteHost, long timeoutMillis,
      boolean abortWithClient, long bodyLength, Upload.Pace pace) {
    Http1Exchange x = new Http1Exchange(ex, pools, name, rewriteHost, bodyLength, pace);
    x.pool = pools.pick(null);
    if (!x.writeHead()) {
      x.pooled.close();
      return false;
    }
    // Dispatched, so that Undertow does not end the exchange when the handler returns; the
    // same-thread executor runs begin() on this IO thread as soon as it has.
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> x.begin(timeoutMillis, abortWithClient));
    return true;
  }

  private void begin(long timeoutMillis, boolean abortWithClient) {
    // Until the answer begins, a client that leaves (closes or resets its connection) abandons
    // the upstream's exchange, as nginx does: its connection is closed rather than held until the
    // upstream answers or the timeout passes. The watch also resumes the client connection's
    // reads in the turn in which Undertow suspended them (after parsing this request; it resumes
    // them when the exchange ends): the selector sees no change and makes no epoll_ctl call, where
    // an upstream answering in a later turn would otherwise cost two per request. A pipelined
    // request that arrives meanwhile is handed back to Undertow for after this exchange.
    // With ignoreClientAbort the reads are resumed the same way, and the bytes that arrive meanwhile
    // (a pipelined request, the client closing) only make Undertow's read listener suspend them
    // again until the exchange ends.
    // An upload's body is read by the upload; the client is watched once it is all read.
    this.abortWithClient = abortWithClient;
    if (upload == null) {
      watchClient();
    }
    Deadlines.add(ex.getIoThread(), this, timeoutMillis);
    acquire();
  }

  private void watchClient() {
    if (abortWithClient) {
      watch = ClientGone.watch(ex, this::clientLeft);
    } else if (ex.getConnection() instanceof HttpServerConnection c) {
      c.getOriginalSourceConduit().resumeReads();
    }
  }

  private void acquire() {
    phase = WAITING;
    if (!pool.acquire(this, ex.getIoThread())) {
      fail(GatewayError.of(GatewayError.Code.BACKEND_UNAVAILABLE,
          "The upstream '" + name + "' has too many requests waiting for a connection"));
    }
  }

  // ---- request ------------------------------------------------------------------------------

  /** Writes the request head for {@link #pool}'s URL into the buffer; false if it does not fit. */
  private boolean writeHead() {
    ByteBuffer b = buf;
    b.clear();
    try {
      HeaderMap h = ex.getRequestHeaders();
      ex.getRequestMethod().appendTo(b);
      b.put((byte) ' ');
      putTarget(b);
      b.put(HTTP11_CRLF);
      boolean keepPort = false;
      String port = h.getFirst(Headers.X_FORWARDED_PORT);
      if (port != null) {
        try {
          Integer.parseInt(port);
          keepPort = true;
        } catch (NumberFormatException e) {
          // replaced below
        }
      }
      for (long c = h.fastIterateNonEmpty(); c != -1L; c = h.fiNextNonEmpty(c)) {
        HeaderValues v = h.fiCurrent(c);
        HttpString n = v.getHeaderName();
        if (n.equals(Headers.X_FORWARDED_FOR) || (rewriteHost && (n.equals(Headers.HOST) || n.equals(Headers.X_FORWARDED_HOST)))
            || (!keepPort && n.equals(Headers.X_FORWARDED_PORT)) || UpstreamHandler.gatewayOwned(n)) {
          continue;
        }
        for (int i = 0; i < v.size(); i++) {
          header(b, n, v.get(i));
        }
      }
      InetSocketAddress peer = ex.getSourceAddress();
      String remote = peer == null ? "localhost" : peer.getHostString();
      String xff = h.getFirst(Headers.X_FORWARDED_FOR);
      header(b, Headers.X_FORWARDED_FOR, xff == null || xff.isEmpty() ? remote : xff + "," + remote);
      if (!h.contains(Headers.X_FORWARDED_PROTO)) {
        header(b, Headers.X_FORWARDED_PROTO, "https".equals(ex.getRequestScheme()) ? "https" : "http");
      }
      String hostName = ex.getHostName();
      if (!h.contains(Headers.X_FORWARDED_SERVER) && hostName != null) {
        header(b, Headers.X_FORWARDED_SERVER, hostName);
      }
      if (rewriteHost) {
        header(b, Headers.HOST, pool.target().hostHeader());
        String clientHost = h.getFirst(Headers.HOST);
        if (clientHost != null) {
          header(b, Headers.X_FORWARDED_HOST, clientHost);
        }
      } else if (!h.contains(Headers.X_FORWARDED_HOST) && hostName != null) {
        header(b, Headers.X_FORWARDED_HOST, NetworkUtils.formatPossibleIpv6Address(hostName));
      }
      if (!keepPort) {
        header(b, Headers.X_FORWARDED_PORT, Integer.toString(ex.getHostPort()));
      }
      if (upload != null && upload.chunked()) {
        b.put(CHUNKED_CODING);
      }
      b.put(CRLF);
    } catch (BufferOverflowException e) {
      return false;
    }
    b.flip();
    return true;
  }

  /** The request target as Undertow's proxy builds it: the URL's path, the path past a stripped prefix, the query. */
  private void putTarget(ByteBuffer b) {
    String uri = ex.getRequestURI();
    if (ex.isHostIncludedInRequestURI()) {
      int i = uri.indexOf("//");
      int j = i < 0 ? -1 : uri.indexOf('/', i + 2);
      if (j >= 0) {
        uri = uri.substring(j);
      }
    }
    String resolved = ex.getResolvedPath();
    if (!resolved.isEmpty() && uri.startsWith(resolved)) {
      uri = uri.substring(resolved.length());
    }
    String base = pool.target().basePath();
    ascii(b, base);
    if (uri.isEmpty() && base.isEmpty()) {
      b.put((byte) '/');
    }
    ascii(b, uri);
    String q = ex.getQueryString();
    if (q != null && !q.isEmpty()) {
      b.put((byte) '?');
      ascii(b, q);
    }
  }

  private static void header(ByteBuffer b, HttpString n, String value) {
    n.appendTo(b);
    b.put(COLON_SP);
    ascii(b, value);
    b.put(CRLF);
  }

  private static void ascii(ByteBuffer b, String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      b.put(c < 0x100 && c != '\r' && c != '\n' ? (byte) c : (byte) '?');
    }
  }

  /** {@code reused}: the connection served earlier requests (and may have been closed under them). */
  @Override
  public boolean connected(Http1Pools.Connection c, boolean reused) {
    if (phase != WAITING) {
      return false;
    }
    conn = c;
    this.reused = reused;
    phase = SENDING;
    readsSuspended = false;
    sendHead();
    return true;
  }

  /** Tries another URL once, else 502. */
  @Override
  public void connectFailed(Http1Pools.Pool p, IOException e) {
    if (phase != WAITING) {
      return;
    }
    Http1Pools.Pool other = pools.pick(p);
    if (!retried && other != p) {
      retried = true;
      pool = other;
      if (!writeHead()) {
        fail(GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The request head is too large to forward"));
        return;
      }
      acquire();
      return;
    }
    fail(GatewayError.of(GatewayError.Code.BACKEND_UNAVAILABLE, "The upstream '" + name + "' could not be reached"));
  }

  private void sendHead() {
    ConduitStreamSinkChannel out = conn.channel().getSinkChannel();
    try {
      while (buf.hasRemaining()) {
        if (out.write(buf) == 0) {
          out.getWriteSetter().set(ch -> {
            ch.suspendWrites();
            if (phase == SENDING) {
              sendHead();
            }
          });
          out.resumeWrites();
          return;
        }
      }
    } catch (IOException e) {
      backendFailed(e);
      return;
    }
    buf.clear();
    phase = HEAD;
    resumeBackendReads();
    if (upload != null && !uploadStarted) {
      uploadStarted = true;
      upload.start(out);
    }
  }

  // ---- response -----------------------------------------------------------------------------

  @Override
  public void readable() {
    try {
      if (phase == HEAD) {
        readHead();
      } else if (phase == BODY) {
        pump();
      } else if (!(conn.channel() instanceof org.xnio.ssl.SslConnection)) {
        // The head is still being written into the buffer the answer is read into: later. (On
        // TLS, reads are how the handshake that the head's write started goes on: left armed.)
        suspendBackendReads();
      }
    } catch (IOException e) {
      backendFailed(e);
    }
  }

  private void readHead() throws IOException {
    int r = conn.channel().getSourceChannel().read(buf);
    if (r < 0) {
      if (buf.position() == 0 && reused && !retried && idempotent() && upload == null) {
        // The upstream closed a kept-alive connection as this request went out on it.
        retried = true;
        conn.close();
        conn = null;
        pool = pools.pick(null);
        if (!writeHead()) {
          fail(GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The request head is too large to forward"));
          return;
        }
        acquire();
        return;
      }
      throw new IOException("the upstream closed the connection before its response was complete");
    }
    if (r == 0) {
      return;
    }
    ResponseHead head;
    try {
      head = ResponseHead.parseFinal(buf);
    } catch (ResponseHead.MalformedException e) {
      closeBackend();
      fail(GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The upstream '" + name + "' sent a malformed response: " + e.getMessage()));
      return;
    }
    if (head == null) {
      if (!buf.hasRemaining()) {
        closeBackend();
        fail(GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The upstream '" + name + "' sent a response head larger than "
            + buf.capacity() + " bytes"));
      }
      return;
    }
    if (head.status() == 101) {
      closeBackend();
      fail(GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The upstream '" + name + "' switched protocols unasked"));
      return;
    }
    respond(head);
  }

  private void respond(ResponseHead head) throws IOException {
    body = BodyFraming.of(head, ex.getRequestMethod().equals(Methods.HEAD));
    reusable = !head.close() && (body == null || !body.endsAtClose());
    if (upload != null && !upload.complete()) {
      // An answer before the whole body went out: the rest of the body is not read or sent.
      upload.stop();
      reusable = false;
      abandonRequestBody();
    }
    answer = head;
    buf.flip().position(head.length());
    if (body == null) {
      if (buf.hasRemaining()) {
        // Bytes after an answer that has none: the upstream and the gateway disagree on framing.
        closeBackend();
        fail(GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The upstream '" + name + "' sent a body with a "
            + (ex.getRequestMethod().equals(Methods.HEAD) ? "HEAD answer" : head.status() + " answer")));
        return;
      }
      commit();
      finishBackend();
      done();
      ex.endExchange();
      return;
    }
    phase = BODY;
    pump();
  }

  /** Puts the answer's status and headers on the exchange: from here on, faults cannot become a 502. */
  private void commit() {
    if (watch != null) {
      watch.stop(); // before anything is written to the client
    }
    ex.setStatusCode(answer.status());
    answer.copyHeaders(ex.getResponseHeaders(), !answer.transferEncoded());
    if (body != null) {
      sink = ex.getResponseChannel();
    }
  }

  /** Moves body bytes from the upstream to the client until one of them would block. */
  private void pump() throws IOException {
    while (true) {
      int n;
      try {
        n = body.next(buf);
      } catch (IOException e) {
        throw new BadAnswer("malformed body framing: " + e.getMessage());
      }
      if (n != 0 && sink == null) {
        commit();
      }
      if (n < 0) {
        bodyDone();
        return;
      }
      if (n > 0) {
        int lim = buf.limit();
        buf.limit(buf.position() + n);
        int w;
        try {
          w = sink.write(buf);
        } finally {
          buf.limit(lim);
        }
        body.consumed(w);
        if (w < n) {
          waitForClient();
          return;
        }
        continue;
      }
      buf.clear();
      int r = conn.channel().getSourceChannel().read(buf);
      buf.flip();
      if (r == 0) {
        return;
      }
      if (r < 0) {
        if (body.endsAtClose()) {
          reusable = false;
          bodyDone();
          return;
        }
        throw new BadAnswer("the connection closed in the middle of the body");
      }
    }
  }

  private void waitForClient() {
    suspendBackendReads();
    sink.getWriteSetter().set(this);
    sink.resumeWrites();
  }

  /** The client can take more: carry on with the body, or with the final flush. */
  @Override
  public void handleEvent(StreamSinkChannel channel) {
    channel.suspendWrites();
    try {
      if (phase == BODY) {
        resumeBackendReads();
        pump();
      } else if (phase == FLUSHING) {
        flushClient();
      }
    } catch (IOException e) {
      backendFailed(e);
    }
  }

  private void bodyDone() throws IOException {
    if (buf.hasRemaining()) {
      reusable = false;
    }
    finishBackend();
    sink.shutdownWrites();
    phase = FLUSHING;
    flushClient();
  }

  private void flushClient() throws IOException {
    if (sink.flush()) {
      done();
      ex.endExchange();
    } else {
      sink.getWriteSetter().set(this);
      sink.resumeWrites();
    }
  }

  // ---- endings ------------------------------------------------------------------------------

  /** The upstream's part is over: its connection goes back to the pool or is closed. */
  private void finishBackend() {
    Http1Pools.Connection c = conn;
    conn = null;
    if (c == null) {
      return;
    }
    if (reusable && c.channel().isOpen() && (upload == null || upload.complete())) {
      if (readsSuspended) {
        c.channel().getSourceChannel().resumeReads();
      }
      c.pool().release(c);
    } else {
      drop(c);
    }
  }

  /** The connection's reads stay armed between requests; suspended only while the client or the head write lags. */
  private void suspendBackendReads() {
    if (!readsSuspended) {
      readsSuspended = true;
      conn.channel().getSourceChannel().suspendReads();
    }
  }

  private void resumeBackendReads() {
    if (readsSuspended) {
      readsSuspended = false;
      conn.channel().getSourceChannel().resumeReads();
    }
  }

  private void closeBackend() {
    if (conn != null) {
      Http1Pools.Connection c = conn;
      conn = null;
      drop(c);
    }
  }

  /**
   * Closes an upstream connection; reset (RST) when its request body is incomplete, so that the
   * upstream cannot take what it got for a whole request.
   */
  private void drop(Http1Pools.Connection c) {
    if (upload != null && !upload.complete()) {
      try {
        c.channel().setOption(Options.CLOSE_ABORT, true);
      } catch (IOException | IllegalArgumentException e) {
        // closed without a last chunk all the same
      }
    }
    c.close();
  }

  /**
   * The client's body will not be read to its end: the exchange must not wait for it (Undertow
   * would drain it before ending the exchange) and the client connection is closed after the answer.
   */
  private void abandonRequestBody() {
    if (upload != null && !upload.complete() && !ex.isRequestComplete()) {
      ex.setPersistent(false);
      Connectors.terminateRequest(ex);
    }
  }

  /** A fault in what the upstream sent (as opposed to the connection failing). */
  private static final class BadAnswer extends IOException {
    BadAnswer(String message) {
      super(message, null);
    }
  }

  /** An IO error on either side. Before the response started, a 502; after it, the client connection is closed. */
  private void backendFailed(IOException e) {
    closeBackend();
    if (sink == null) {
      fail(e instanceof BadAnswer
          ? GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The upstream '" + name + "' sent a malformed response: " + e.getMessage())
          : GatewayError.of(GatewayError.Code.BACKEND_UNAVAILABLE, "The upstream '" + name + "' failed: " + e.getMessage()));
    } else {
      done();
      IoUtils.safeClose(ex.getConnection());
    }
  }

  private void fail(GatewayError error) {
    if (phase == WAITING && pool != null) {
      pool.leave(this);
    }
    abandonRequestBody();
    done();
    Responses.problem(ex, error);
  }

  /** The timeout: the whole exchange, body included, took longer than the upstream's {@code timeout}. */
  @Override
  protected void expired() {
    if (phase == DONE) {
      return;
    }
    closeBackend();
    if (sink == null) {
      fail(GatewayError.of(GatewayError.Code.GATEWAY_TIMEOUT, "The upstream '" + name + "' did not complete the exchange in time"));
    } else {
      done();
      IoUtils.safeClose(ex.getConnection());
    }
  }

  /**
   * The client left before the answer began ({@link ClientGone} has closed its connection): the
   * upstream's connection, mid-exchange, is closed, or the wait for one given up.
   */
  private void clientLeft() {
    if (phase == DONE) {
      return;
    }
    if (phase == WAITING && pool != null) {
      pool.leave(this);
    }
    closeBackend();
    done();
  }

  private void done() {
    if (phase == DONE) {
      return;
    }
    phase = DONE;
    if (watch != null) {
      watch.stop();
    }
    if (upload != null) {
      upload.stop();
    }
    cancelDeadline();
    pooled.close();
  }

  // ---- the upload's news ---------------------------------------------------------------------

  @Override
  public void uploaded() {
    if (phase == HEAD && sink == null) {
      watchClient();
    }
  }

  @Override
  public void uploadFailed(GatewayError error) {
    if (phase == DONE) {
      return;
    }
    closeBackend();
    if (sink == null) {
      fail(error);
    } else {
      done();
      IoUtils.safeClose(ex.getConnection());
    }
  }

  /** The upstream stopped taking the body: its answer (or its closing) is still to be read. */
  @Override
  public void uploadRefused(IOException e) {
    abandonRequestBody();
  }

  private boolean idempotent() {
    HttpString m = ex.getRequestMethod();
    return m.equals(Methods.GET) || m.equals(Methods.HEAD) || m.equals(Methods.OPTIONS) || m.equals(Methods.PUT)
        || m.equals(Methods.DELETE) || m.equals(Methods.TRACE);
  }
}
