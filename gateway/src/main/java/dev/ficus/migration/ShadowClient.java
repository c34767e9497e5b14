package dev.ficus.migration;

import dev.ficus.http.Deadlines;
import dev.ficus.http.Http1Pools;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.ssl.XnioSsl;

/**
 * Sends shadow copies on the IO thread of the exchange they copy, so that shadowing adds no
 * threads and no hand-offs that would compete with clients for the CPUs. {@code http://} targets
 * go over the gateway's lean HTTP/1.1 connections ({@link PlainShadowCall}, {@link Http1Pools}:
 * at most {@link #MAX_IDLE_PER_THREAD} per IO thread, copies beyond them wait for one);
 * {@code https://} targets over Undertow's client, keeping idle keep-alive connections per IO
 * thread and target (each pool is touched only by its IO thread, so it needs no lock), at most
 * {@link #MAX_IDLE_PER_THREAD} of them.
 *
 * <p>{@link #send} must be called on {@code io}; the callback runs on the same thread, exactly
 * once: with the answer (its body read up to {@code maxBody} bytes, past which the call fails;
 * with {@code maxBody} 0 read and thrown away) or with a failure (connection refused or lost,
 * timeout, body too large, {@link Memory} refused). The timeout bounds the whole call: waiting
 * for a connection, connecting, writing the copy, and the answer. The bytes of the answer's body
 * are reserved from {@link Memory} before they are held. Lives as long as the server (it
 * survives reloads); {@link #close} drops the idle connections.
 */
public final class ShadowClient implements AutoCloseable {
  /**
   * As many as an upstream's default {@code maxConnections}. With fewer, a burst of more copies
   * in flight than idle connections kept ends by closing the surplus, and the next burst opens
   * them again (seen at 64 client connections on one IO thread: about 3 % of copies paid for a
   * new connection with 32).
   */
  static final int MAX_IDLE_PER_THREAD = 64;

  /**
   * Copies beyond the connections may wait for one; the {@link ShadowBudget} (at most
   * {@code limits.shadowInFlight} copies) bounds the copies in flight in the first place.
   */
  static final int MAX_WAITING_PER_THREAD = 100_000;

  /** The most of an {@code https://} answer's body read (and thrown away) when it is not compared. */
  static final int DISCARDED_LIMIT = 1024 * 1024;

  private final ConcurrentHashMap<PoolKey, ArrayDeque<ClientConnection>> idle = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Http1Pools> plain = new ConcurrentHashMap<>();
  private volatile XnioSsl ssl;

  /** An answer from the shadow target; {@code headers} as received (lookups ignore case). */
  public record Answer(int status, HeaderMap headers, byte[] body) {}

  /** Where the answer goes; called once, on the IO thread. */
  public interface Callback {
    void completed(Answer answer);

    void failed(String reason);
  }

  /**
   * What a call may hold of the answer: each growth is asked for first; false means the call
   * must not hold it (it then fails). Called on the call's IO thread.
   */
  public interface Memory {
    boolean reserve(long bytes);
  }

  /** A request to send: the path already includes the target's base path and the query. */
  public record Request(URI target, String method, String path, HeaderMap headers, byte[] body) {}

  private record PoolKey(XnioIoThread io, String scheme, String host, int port) {}

  /** Sends {@code r} from {@code io} (the current thread); {@code timeout} bounds the whole call. */
  public void send(XnioIoThread io, ByteBufferPool buffers, Request r, Duration timeout, int maxBody, Memory memory,
      Callback cb) {
    if ("http".equalsIgnoreCase(r.target().getScheme())) {
      new PlainShadowCall(io, buffers, plainPools(r.target()), r, maxBody, memory, cb).start(timeout);
      return;
    }
    Call call = new Call(io, buffers, r, maxBody, memory, cb);
    call.timeoutMillis = Math.max(1, timeout.toMillis());
    Deadlines.add(io, call, call.timeoutMillis);
    ArrayDeque<ClientConnection> pool = pool(io, r.target());
    ClientConnection c;
    while ((c = pool.pollLast()) != null) {
      if (c.isOpen()) {
        call.send(c);
        return;
      }
    }
    XnioSsl s = null;
    if ("https".equalsIgnoreCase(r.target().getScheme())) {
      try {
        s = ssl();
      } catch (java.security.GeneralSecurityException e) {
        call.fail("no TLS available: " + e.getMessage(), false);
        return;
      }
    }
    UndertowClient.getInstance().connect(new ClientCallback<ClientConnection>() {
      @Override
      public void completed(ClientConnection connection) {
        if (call.done) {
          IoUtils.safeClose(connection);
        } else {
          call.send(connection);
        }
      }

      @Override
      public void failed(IOException e) {
        call.fail(describe(e), false);
      }
    }, r.target(), io, s, buffers, dev.ficus.http.BackendSockets.OPTIONS);
  }

  /** The lean HTTP/1.1 pools of a plain-HTTP target (its scheme and authority; the path is in each request). */
  private Http1Pools plainPools(URI target) {
    String origin = "http://" + target.getRawAuthority();
    return plain.computeIfAbsent(origin, o -> new Http1Pools(java.util.List.of(URI.create(o)), MAX_IDLE_PER_THREAD,
        MAX_WAITING_PER_THREAD));
  }

  private ArrayDeque<ClientConnection> pool(XnioIoThread io, URI target) {
    int port = target.getPort() != -1 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
    return idle.computeIfAbsent(new PoolKey(io, target.getScheme(), target.getHost(), port), k -> new ArrayDeque<>());
  }

  private XnioSsl ssl() throws java.security.GeneralSecurityException {
    XnioSsl s = ssl;
    if (s == null) {
      // The JVM's CAs; Undertow's client also checks that the certificate names the host.
      s = dev.ficus.http.TlsClient.xnioSsl(null);
      ssl = s;
    }
    return s;
  }

  static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** One shadow call: sends, reads the answer, hands the connection back. IO thread only. */
  private final class Call extends Deadlines.Entry implements ClientCallback<ClientExchange> {
    final XnioIoThread io;
    final ByteBufferPool buffers;
    final Request request;
    final int maxBody;
    final Memory memory;
    final Callback cb;
    long timeoutMillis;
    ClientConnection connection;
    boolean done;

    Call(XnioIoThread io, ByteBufferPool buffers, Request request, int maxBody, Memory memory, Callback cb) {
      this.io = io;
      this.buffers = buffers;
      this.request = request;
      // Undertow's client keeps what it reads: even an answer thrown away is read into memory.
      this.maxBody = maxBody > 0 ? maxBody : DISCARDED_LIMIT;
      this.memory = memory;
      this.cb = cb;
    }

    void send(ClientConnection c) {
      connection = c;
      ClientRequest cr = new ClientRequest().setMethod(new io.undertow.util.HttpString(request.method()))
          .setPath(request.path());
      cr.getRequestHeaders().putAll(request.headers());
      c.sendRequest(cr, this);
    }

    /** The request is on its way: write its body (if any), then wait for the answer. */
    @Override
    public void completed(ClientExchange ex) {
      ex.setResponseListener(new ClientCallback<>() {
        @Override
        public void completed(ClientExchange answered) {
          // Reserved whole before a byte of it is read: its announced length, else the limit.
          long length = answered.getResponse().getResponseHeaders().contains(Headers.CONTENT_LENGTH)
              ? Math.min(maxBody, Math.max(0, parseLength(answered))) : maxBody;
          if (!memory.reserve(length)) {
            fail("the shadow's answer is over the shadow budget", true);
            return;
          }
          dev.ficus.http.ClientBodies.read(answered.getResponseChannel(), buffers, maxBody,
              new dev.ficus.http.ClientBodies.Reading() {
                @Override
                public void complete(byte[] body) {
                  succeed(answered, body);
                }

                @Override
                public void tooLarge() {
                  fail("the shadow's answer is larger than " + maxBody + " bytes", true);
                }

                @Override
                public void failed(IOException e) {
                  fail(describe(e), true);
                }
              });
        }

        @Override
        public void failed(IOException e) {
          fail(describe(e), true);
        }
      });
      byte[] body = request.body();
      if (body.length > 0) {
        dev.ficus.http.ClientBodies.write(ex.getRequestChannel(), ByteBuffer.wrap(body), e -> fail(describe(e), true));
      }
    }

    @Override
    public void failed(IOException e) {
      fail(describe(e), true);
    }

    private long parseLength(ClientExchange answered) {
      try {
        return Long.parseLong(answered.getResponse().getResponseHeaders().getFirst(Headers.CONTENT_LENGTH).trim());
      } catch (NumberFormatException e) {
        return maxBody;
      }
    }

    /** The timeout: no complete answer in time. */
    @Override
    protected void expired() {
      fail("no answer within " + timeoutMillis + " ms", true);
    }

    void fail(String reason, boolean close) {
      if (done) {
        return;
      }
      done = true;
      cancelDeadline();
      if (close && connection != null) {
        IoUtils.safeClose(connection);
      }
      cb.failed(reason);
    }

    void succeed(ClientExchange ex, byte[] body) {
      if (done) {
        return;
      }
      done = true;
      cancelDeadline();
      ArrayDeque<ClientConnection> pool = pool(io, request.target());
      if (connection.isOpen() && pool.size() < MAX_IDLE_PER_THREAD) {
        pool.addLast(connection);
      } else {
        IoUtils.safeClose(connection);
      }
      cb.completed(new Answer(ex.getResponse().getResponseCode(), ex.getResponse().getResponseHeaders(), body));
    }
  }

  @Override
  public void close() {
    idle.values().forEach(pool -> pool.forEach(IoUtils::safeClose));
    idle.clear();
  }
}
