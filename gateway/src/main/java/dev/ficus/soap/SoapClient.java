package dev.ficus.soap;

import dev.ficus.http.BackendSockets;
import dev.ficus.http.Deadlines;
import dev.ficus.http.TlsClient;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.UndertowClient;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import dev.ficus.chain.RequestContext;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.ssl.XnioSsl;

/**
 * Non-blocking HTTP transport for SOAP calls, on Undertow's own client, on the IO thread of the
 * request being served: the connection comes from a keep-alive pool kept per backend and per IO
 * thread (Undertow's {@link LoadBalancingProxyClient}, the pool its reverse proxy uses), the
 * envelope is written and the reply read by that thread, and the returned future completes on
 * it. No thread hand-off happens between the client's request and its answer. A connection goes
 * back to the pool when the served exchange completes; one that timed out, failed or carried an
 * oversized reply is closed instead.
 *
 * <p>{@code https://} backends must present a certificate that chains to the JVM's trusted CAs
 * (or to the CAs of the mapping's {@code ca} file) and names the endpoint's host
 * ({@link TlsClient}).
 *
 * <p>Every call is bounded: by its timeout (connection, request and reply together) and by
 * {@code maxResponseBytes}, beyond which the reply is cut off and the call fails, so a runaway
 * backend cannot exhaust the heap. Calls in flight are limited by nothing but the backend (and
 * {@link #CONNECTIONS_PER_THREAD} open connections per backend and IO thread, beyond which
 * calls queue). Thread-safe; one instance per gateway.
 */
public final class SoapClient implements AutoCloseable {
  /** Open connections per backend and IO thread; further calls wait for one to come free. */
  public static final int CONNECTIONS_PER_THREAD = 128;
  private static final int MAX_QUEUED = 4096;
  /** Idle pooled connections are closed after this, before a typical server's idle timeout (Jetty: 30 s). */
  private static final int IDLE_TTL_MILLIS = 20_000;

  private static final HttpString SOAP_ACTION = new HttpString("SOAPAction");

  private final long maxResponseBytes;
  private final ConcurrentHashMap<String, Backend> backends = new ConcurrentHashMap<>();
  /** Open backend connections that have carried a call: a call on one of them may meet a stale connection. */
  private final Set<ClientConnection> used = ConcurrentHashMap.newKeySet();

  public SoapClient(long maxResponseBytes) {
    this.maxResponseBytes = maxResponseBytes;
  }

  /**
   * One backend endpoint, resolved once when a mapping compiles: its request path, its
   * connection pools (shared by every endpoint of the same origin and CA) and its TLS (null for
   * http), so a call does no lookups.
   */
  public static final class Target {
    private final URI endpoint;
    private final String origin;
    private final URI originUri;
    private final String path;
    private final LoadBalancingProxyClient pool;
    private final XnioSsl ssl;

    private Target(URI endpoint, String origin, LoadBalancingProxyClient pool, XnioSsl ssl) {
      this.endpoint = endpoint;
      this.origin = origin;
      this.originUri = URI.create(origin);
      this.path = pathOf(endpoint);
      this.pool = pool;
      this.ssl = ssl;
    }

    public URI endpoint() {
      return endpoint;
    }
  }

  /** The pools of one origin (and CA). */
  private record Backend(LoadBalancingProxyClient pool, XnioSsl ssl) {}

  /** A raw reply: status, content type (may be null) and body. */
  public record RawReply(int status, String contentType, byte[] body) {}

  /** Thrown (inside the future) when the reply exceeds the size limit. */
  public static final class ReplyTooLargeException extends IOException {
    public ReplyTooLargeException(long limit) {
      super("reply is larger than " + limit + " bytes (limits.maxResponseSize)");
    }
  }

  /** Thrown (inside the future) when no connection to the backend could be opened. */
  public static final class UnreachableException extends IOException {
    UnreachableException(String message) {
      super(message);
    }
  }

  /** Thrown (inside the future) when the call did not complete within its timeout. */
  public static final class TimedOutException extends IOException {
    TimedOutException() {
      super("timed out");
    }
  }

  /**
   * The target for {@code endpoint}; {@code caPem} (may be null) holds the CAs trusted for an
   * https endpoint instead of the JVM's. Throws when TLS cannot be set up with them.
   */
  public Target target(URI endpoint, byte[] caPem) throws GeneralSecurityException {
    String origin = origin(endpoint);
    String key = caPem == null ? origin : origin + "|" + TlsClient.fingerprint(caPem);
    Backend b = backends.get(key);
    if (b == null) {
      XnioSsl ssl = "https".equalsIgnoreCase(endpoint.getScheme()) ? TlsClient.xnioSsl(caPem) : null;
      LoadBalancingProxyClient pool = new LoadBalancingProxyClient()
          .setConnectionsPerThread(CONNECTIONS_PER_THREAD)
          .setMaxQueueSize(MAX_QUEUED)
          .setProblemServerRetry(1)
          .setTtl(IDLE_TTL_MILLIS);
      if (ssl == null) {
        pool.addHost(URI.create(origin), null, null, BackendSockets.OPTIONS);
      } else {
        pool.addHost(URI.create(origin), null, ssl, BackendSockets.OPTIONS);
      }
      Backend fresh = new Backend(pool, ssl);
      Backend raced = backends.putIfAbsent(key, fresh);
      b = raced != null ? raced : fresh;
    }
    return new Target(endpoint, origin, b.pool(), b.ssl());
  }

  /**
   * POSTs {@code envelope} to {@code target} on behalf of {@code ex}; call it on {@code ex}'s IO
   * thread. The future fails with one of this class's exceptions or the transport's.
   */
  public CompletableFuture<RawReply> post(HttpServerExchange ex, Target target, SoapVersion version, String action,
      byte[] envelope, Duration timeout) {
    CompletableFuture<RawReply> result = new CompletableFuture<>();
    new Call(ex, target, version, action, envelope, timeout, result).start();
    return result;
  }

  private static String origin(URI u) {
    int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost() + ":" + port;
  }

  /** One call on Undertow's client; every method runs on the exchange's IO thread. */
  private final class Call extends Deadlines.Entry implements ProxyCallback<ProxyConnection> {
    private final HttpServerExchange ex;
    private final Target target;
    private final SoapVersion version;
    private final String action;
    private final ByteBuffer body;
    private final CompletableFuture<RawReply> result;
    private ClientConnection connection;
    private boolean outsidePool;
    private boolean reused;
    private boolean retried;
    /** Which try this is; callbacks of an abandoned connection carry an older number and are ignored. */
    private int attempt;
    private boolean replied;

    Call(HttpServerExchange ex, Target target, SoapVersion version, String action, byte[] envelope, Duration timeout,
        CompletableFuture<RawReply> result) {
      this.ex = ex;
      this.target = target;
      this.version = version;
      this.action = action;
      this.body = ByteBuffer.wrap(envelope);
      this.result = result;
      Deadlines.add(ex.getIoThread(), this, Math.max(1, timeout.toMillis()));
    }

    void start() {
      ProxyClient.ProxyTarget host = target.pool.findTarget(ex);
      if (host == null) {
        couldNotResolveBackend(ex);
        return;
      }
      target.pool.getConnection(host, ex, this, 0, TimeUnit.MILLISECONDS);
    }

    // ---- connection from the pool

    @Override
    public void completed(HttpServerExchange exchange, ProxyConnection c) {
      if (result.isDone()) {
        IoUtils.safeClose(c.getConnection());
        return;
      }
      this.reused = !used.add(c.getConnection());
      if (!reused) {
        c.getConnection().addCloseListener(used::remove);
      }
      send(c.getConnection());
    }

    /** The retry: a new connection of its own, outside the pool, closed after the call. */
    private void connectFresh() {
      UndertowClient.getInstance().connect(new ClientCallback<>() {
        @Override
        public void completed(ClientConnection c) {
          if (result.isDone()) {
            IoUtils.safeClose(c);
            return;
          }
          outsidePool = true;
          send(c);
        }

        @Override
        public void failed(IOException e) {
          fail(new UnreachableException("could not connect to " + target.origin + ": " + e.getMessage()));
        }
      }, target.originUri, ex.getIoThread(), target.ssl, ex.getConnection().getByteBufferPool(), BackendSockets.OPTIONS);
    }

    private void send(ClientConnection c) {
      this.connection = c;
      ClientRequest req = new ClientRequest().setMethod(Methods.POST).setPath(target.path);
      req.getRequestHeaders()
          .put(Headers.HOST, target.endpoint.getRawAuthority())
          .put(Headers.CONTENT_TYPE, version.contentType(action))
          .put(Headers.ACCEPT, version.mediaType() + ", text/xml, application/xml, */*;q=0.1")
          .put(Headers.CONTENT_LENGTH, body.capacity());
      if (version == SoapVersion.SOAP_11) {
        req.getRequestHeaders().put(SOAP_ACTION, "\"" + (action == null ? "" : action) + "\"");
      }
      // The request's id and trace reach the SOAP backend as they reach every other hop.
      RequestContext context = RequestContext.of(ex);
      req.getRequestHeaders().put(RequestContext.X_REQUEST_ID, context.requestId())
          .put(RequestContext.TRACEPARENT, context.trace().header());
      if (context.traceState() != null) {
        req.getRequestHeaders().put(RequestContext.TRACESTATE, context.traceState());
      }
      int current = attempt;
      c.sendRequest(req, new ClientCallback<>() {
        @Override
        public void completed(ClientExchange cx) {
          cx.setResponseListener(new ClientCallback<>() {
            @Override
            public void completed(ClientExchange done) {
              if (current == attempt) {
                readReply(done);
              }
            }

            @Override
            public void failed(IOException e) {
              transportFailed(current, e);
            }
          });
          writeBody(current, cx.getRequestChannel());
        }

        @Override
        public void failed(IOException e) {
          transportFailed(current, e);
        }
      });
    }

    @Override
    public void failed(HttpServerExchange exchange) {
      fail(new UnreachableException("could not connect to " + target.origin));
    }

    @Override
    public void couldNotResolveBackend(HttpServerExchange exchange) {
      fail(new UnreachableException(target.origin + " failed recently and is not retried yet"));
    }

    @Override
    public void queuedRequestFailed(HttpServerExchange exchange) {
      fail(new UnreachableException("no connection to " + target.origin + " came free"));
    }

    private void writeBody(int current, StreamSinkChannel sink) {
      if (current != attempt) {
        return;
      }
      try {
        while (body.hasRemaining()) {
          if (sink.write(body) == 0) {
            sink.getWriteSetter().set(s -> writeBody(current, sink));
            sink.resumeWrites();
            return;
          }
        }
        sink.shutdownWrites();
        if (!sink.flush()) {
          sink.getWriteSetter().set(ChannelListeners.flushing(e -> transportFailed(current, e)));
          sink.resumeWrites();
          return;
        }
        sink.suspendWrites();
      } catch (IOException e) {
        transportFailed(current, e);
      }
    }

    private void readReply(ClientExchange cx) {
      replied = true;
      int status = cx.getResponse().getResponseCode();
      String contentType = cx.getResponse().getResponseHeaders().getFirst(Headers.CONTENT_TYPE);
      String length = cx.getResponse().getResponseHeaders().getFirst(Headers.CONTENT_LENGTH);
      long declared = length == null ? -1 : parseLength(length);
      if (declared > maxResponseBytes) {
        fail(new ReplyTooLargeException(maxResponseBytes));
        return;
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
      StreamSourceChannel source = cx.getResponseChannel();
      ChannelListener<StreamSourceChannel> reader = new ChannelListener<>() {
        @Override
        public void handleEvent(StreamSourceChannel ch) {
          var pooled = cx.getConnection().getBufferPool().allocate();
          try {
            ByteBuffer b = pooled.getBuffer();
            while (true) {
              b.clear();
              int n = ch.read(b);
              if (n == 0) {
                ch.getReadSetter().set(this);
                ch.resumeReads();
                return;
              }
              if (n < 0) {
                ch.suspendReads();
                succeed(new RawReply(status, contentType, buf.toByteArray()));
                return;
              }
              if (buf.size() + (long) n > maxResponseBytes) {
                fail(new ReplyTooLargeException(maxResponseBytes));
                return;
              }
              b.flip();
              if (b.hasArray()) {
                buf.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
              } else {
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buf.write(chunk, 0, chunk.length);
              }
            }
          } catch (IOException e) {
            transportFailed(attempt, e);
          } finally {
            pooled.close();
          }
        }
      };
      reader.handleEvent(source);
    }

    // ---- endings

    @Override
    protected void expired() {
      fail(new TimedOutException());
    }

    /**
     * A transport failure. When a reused keep-alive connection fails before any reply arrived,
     * the backend had closed it while it sat idle in the pool and never saw the call (the same
     * rule as browsers and the JDK's client follow): the call is tried once more on a fresh
     * connection. Any other failure fails the call.
     */
    private void transportFailed(int failedAttempt, IOException e) {
      if (result.isDone() || failedAttempt != attempt) {
        return;
      }
      if (reused && !retried && !replied) {
        retried = true;
        attempt++;
        ClientConnection stale = connection;
        connection = null;
        IoUtils.safeClose(stale);
        body.rewind();
        // Not through the pool: it would not hand this exchange the same backend twice.
        connectFresh();
        return;
      }
      fail(e);
    }

    private void succeed(RawReply reply) {
      if (!result.isDone()) {
        cancelDeadline();
        result.complete(reply);
        if (outsidePool) {
          IoUtils.safeClose(connection);
        }
      }
    }

    private void fail(Throwable t) {
      if (result.isDone()) {
        return;
      }
      cancelDeadline();
      // Completed first: closing the connection makes its channels fail too, and those later
      // failures must not replace this one.
      result.completeExceptionally(t);
      if (connection != null) {
        // The connection is in an unknown state (a reply may still arrive): never reuse it.
        IoUtils.safeClose(connection);
      }
    }
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String pathOf(URI endpoint) {
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
    return endpoint.getRawQuery() == null ? path : path + "?" + endpoint.getRawQuery();
  }

  /** Write listeners that finish a flush, or report the failure. */
  private static final class ChannelListeners {
    static ChannelListener<StreamSinkChannel> flushing(java.util.function.Consumer<IOException> onError) {
      return ch -> {
        try {
          if (ch.flush()) {
            ch.suspendWrites();
          }
        } catch (IOException e) {
          onError.accept(e);
        }
      };
    }
  }

  @Override
  public void close() {
    for (Backend b : backends.values()) {
      try {
        b.pool().closeCurrentConnections();
      } catch (RuntimeException alreadyStopped) {
        // The server's IO threads are gone, and their connections with them.
      }
    }
  }
}
