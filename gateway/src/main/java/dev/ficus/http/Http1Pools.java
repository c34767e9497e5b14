package dev.ficus.http;

import dev.ficus.http.BackendSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.List;
import org.xnio.ChannelListener;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.ssl.XnioSsl;

/**
 * Keep-alive HTTP/1.1 connections to the URLs of one upstream or shadow target ({@code http://},
 * and {@code https://} when given client TLS),
 * for the gateway's lean clients (the pass-through's {@code Http1Exchange}, shadow copies).
 *
 * <p>Design: every IO thread has pools of its own (one per URL), touched only by that thread, so
 * nothing here is locked or shared between threads: a request is forwarded on a connection of
 * the IO thread that read it. A thread opens at most {@code perThread} connections per URL;
 * requests beyond that wait in a bounded queue and take the next connection that is released.
 * Idle connections keep their reads armed, so a connection the upstream closes is noticed and
 * dropped rather than handed to the next request. URLs are taken round-robin; one that refused
 * a connection is skipped for {@link #DOWN_MILLIS} while another is available. Host names are
 * looked up on the worker's task threads, never on an IO thread ({@link Target}).
 *
 * <p>Shared by every configuration naming the same upstream, so a reload keeps the connections.
 */
public final class Http1Pools {
  /** How long a URL that refused a connection is passed over while another is up. */
  static final long DOWN_MILLIS = 5_000;
  /** How long a looked-up address is used before it is looked up again (the JVM caches for 30 s too). */
  static final long DNS_TTL_MILLIS = 30_000;
  private static final long IDLE_MILLIS = 60_000;

  /**
   * One user of a connection, called on its IO thread: a request that wants a connection, then
   * owns it until it releases or closes it.
   */
  public interface Client {
    /** The connection is this client's now; false if it no longer wants it (it timed out meanwhile). */
    boolean connected(Connection c, boolean reused);

    /** No connection could be opened to {@code p}'s URL. */
    void connectFailed(Pool p, IOException e);

    /** The owned connection has something to read (its reads stay armed unless suspended). */
    void readable();
  }

  /**
   * One upstream URL. A host name is resolved off the IO threads (on the XNIO worker's task
   * threads): a slow DNS server must not stall every connection of an IO thread. The address is
   * kept for {@link #DNS_TTL_MILLIS}; after that, connections keep using it while a new lookup
   * runs. An IP literal is never looked up.
   */
  public static final class Target {
    final String host;
    final int port;
    /** An {@code https://} URL: connections speak TLS. */
    final boolean tls;
    private final String hostHeader;
    private final String basePath;
    private final boolean literal;
    volatile long downUntil;
    private volatile InetSocketAddress address;
    private volatile long addressUntil;
    private final java.util.concurrent.atomic.AtomicBoolean resolving = new java.util.concurrent.atomic.AtomicBoolean();

    Target(URI u) {
      host = u.getHost();
      tls = "https".equalsIgnoreCase(u.getScheme());
      port = u.getPort() > 0 ? u.getPort() : tls ? 443 : 80;
      hostHeader = host + ":" + port;
      String p = u.getRawPath();
      basePath = p == null || p.equals("/") ? "" : p;
      String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      literal = bare.indexOf(':') >= 0 || bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
      if (literal) {
        address = new InetSocketAddress(bare, port);
        addressUntil = Long.MAX_VALUE;
      }
    }

    /**
     * The address to connect to, or null when none is known yet (then {@link #resolve} it). An
     * expired one is still returned, and a new lookup started.
     */
    InetSocketAddress address(java.util.concurrent.Executor lookups) {
      InetSocketAddress a = address;
      if (a != null && System.currentTimeMillis() > addressUntil) {
        resolve(lookups, null);
      }
      return a;
    }

    /** Looks the host name up on {@code lookups}; {@code then} gets the result (or the failure). */
    void resolve(java.util.concurrent.Executor lookups, java.util.function.Consumer<Object> then) {
      if (then == null && !resolving.compareAndSet(false, true)) {
        return;
      }
      lookups.execute(() -> {
        Object result;
        try {
          InetSocketAddress a = new InetSocketAddress(java.net.InetAddress.getByName(host), port);
          address = a;
          addressUntil = System.currentTimeMillis() + DNS_TTL_MILLIS;
          result = a;
        } catch (IOException | RuntimeException e) {
          result = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        } finally {
          if (then == null) {
            resolving.set(false);
          }
        }
        if (then != null) {
          then.accept(result);
        }
      });
    }

    /** {@code host:port}, the Host header that names this URL. */
    public String hostHeader() {
      return hostHeader;
    }

    /** The URL's path, put in front of every forwarded path ("" when none or "/"). */
    public String basePath() {
      return basePath;
    }
  }

  /**
   * Socket options of TLS connections: the server's certificate must name the URL's host, as
   * Undertow's own client requires (and with the same system property to turn that off).
   */
  private static final org.xnio.OptionMap TLS_OPTIONS = org.xnio.OptionMap.builder().addAll(BackendSockets.OPTIONS)
      .set(io.undertow.UndertowOptions.ENDPOINT_IDENTIFICATION_ALGORITHM,
          Boolean.getBoolean("io.undertow.client.https.disableEndpointIdentification") ? "" : "HTTPS")
      .getMap();

  private final Target[] targets;
  /** Client TLS for {@code https://} URLs; null when there are none. */
  private final XnioSsl ssl;
  private final int perThread;
  private final int maxWaiting;
  private final ThreadLocal<Pool[]> pools;
  private final ThreadLocal<int[]> next = ThreadLocal.withInitial(() -> new int[1]);

  /**
   * Pools for {@code urls} ({@code http://} only), at most {@code perThread} connections per IO
   * thread and URL, at most {@code maxWaiting} requests per IO thread and URL waiting for one.
   */
  public Http1Pools(List<URI> urls, int perThread, int maxWaiting) {
    this(urls, perThread, maxWaiting, null);
  }

  /**
   * As {@link #Http1Pools(List, int, int)}, with {@code ssl} for {@code https://} URLs (the
   * certificate must chain to its CAs and name the URL's host, {@link TlsClient}).
   *
   * @throws IllegalArgumentException when an URL is {@code https://} and {@code ssl} is null
   */
  public Http1Pools(List<URI> urls, int perThread, int maxWaiting, XnioSsl ssl) {
    this.targets = urls.stream().map(Target::new).toArray(Target[]::new);
    this.ssl = ssl;
    for (Target t : targets) {
      if (t.tls && ssl == null) {
        throw new IllegalArgumentException("no TLS for https://" + t.host + ":" + t.port);
      }
    }
    this.perThread = perThread;
    this.maxWaiting = maxWaiting;
    this.pools = ThreadLocal.withInitial(() -> {
      Pool[] p = new Pool[targets.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = new Pool(targets[i]);
      }
      return p;
    });
  }

  /**
   * This IO thread's pool for the next URL in turn, skipping URLs marked down (and {@code avoid},
   * may be null) while others are up.
   */
  public Pool pick(Pool avoid) {
    Pool[] p = pools.get();
    if (p.length == 1) {
      return p[0];
    }
    int[] n = next.get();
    long now = System.currentTimeMillis();
    for (int i = 0; i < p.length; i++) {
      Pool c = p[Math.floorMod(n[0]++, p.length)];
      if (c != avoid && c.target.downUntil <= now) {
        return c;
      }
    }
    return p[Math.floorMod(n[0]++, p.length)];
  }

  /** The connections of one IO thread to one URL. Used on that IO thread only. */
  public final class Pool {
    private final Target target;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<Client> waiting = new ArrayDeque<>();
    private int open;

    Pool(Target target) {
      this.target = target;
    }

    public Target target() {
      return target;
    }

    /**
     * Gives {@code x} a connection now (an idle one, or a new one once it is open) or queues it
     * for the next one released. False when the queue is full.
     */
    public boolean acquire(Client x, XnioIoThread thread) {
      long now = System.currentTimeMillis();
      Connection c;
      while ((c = idle.pollLast()) != null) {
        if (c.channel.isOpen() && now - c.idleSince < IDLE_MILLIS) {
          c.owner = x;
          if (!x.connected(c, true)) {
            release(c);
          }
          return true;
        }
        c.close();
      }
      if (open < perThread) {
        connect(x, thread);
        return true;
      }
      if (waiting.size() >= maxWaiting) {
        return false;
      }
      waiting.add(x);
      return true;
    }

    /** {@code x} gave up (timeout) while queued. */
    public void leave(Client x) {
      waiting.remove(x);
    }

    private void connect(Client x, XnioIoThread thread) {
      open++;
      InetSocketAddress a = target.address(thread.getWorker());
      if (a != null) {
        connect(x, thread, a);
        return;
      }
      // First use of a host name: looked up on a worker thread, the connection opened back here.
      target.resolve(thread.getWorker(), result -> thread.execute(() -> {
        if (result instanceof InetSocketAddress resolved) {
          connect(x, thread, resolved);
        } else {
          failed(x, thread, (IOException) result);
        }
      }));
    }

    private void connect(Client x, XnioIoThread thread, InetSocketAddress a) {
      ChannelListener<StreamConnection> opened = sc -> {
        Connection c = new Connection(this, sc);
        target.downUntil = 0;
        c.owner = x;
        if (!x.connected(c, false)) {
          release(c);
        }
      };
      // TLS: the handshake runs with the first write (the request head); a certificate that
      // does not chain to the CAs or name the host fails that write or the read of the answer.
      IoFuture<? extends StreamConnection> f = target.tls
          ? ssl.openSslConnection(thread, a, opened::handleEvent, TLS_OPTIONS)
          : thread.openStreamConnection(a, opened, BackendSockets.OPTIONS);
      f.addNotifier(new IoFuture.HandlingNotifier<StreamConnection, Object>() {
        @Override
        public void handleFailed(IOException e, Object attachment) {
          failed(x, thread, e);
        }
      }, null);
    }

    private void failed(Client x, XnioIoThread thread, IOException e) {
      open--;
      if (targets.length > 1) {
        target.downUntil = System.currentTimeMillis() + DOWN_MILLIS;
      }
      x.connectFailed(this, e);
      serveWaiting(thread);
    }

    /** A connection whose exchange is over and whose framing ended cleanly: reused or parked. */
    public void release(Connection c) {
      c.owner = null;
      Client w;
      while ((w = waiting.poll()) != null) {
        c.owner = w;
        if (w.connected(c, true)) {
          return;
        }
      }
      c.owner = null;
      c.idleSince = System.currentTimeMillis();
      idle.addLast(c);
    }

    void closed(Connection c, XnioIoThread thread) {
      open--;
      idle.remove(c);
      serveWaiting(thread);
    }

    private void serveWaiting(XnioIoThread thread) {
      if (!waiting.isEmpty() && open < perThread) {
        connect(waiting.poll(), thread);
      }
    }
  }

  /**
   * One keep-alive connection. Its read listener stays armed: while an exchange owns it, reads go
   * to that exchange; while idle, anything readable (the upstream closing, or stray bytes) ends it.
   */
  public static final class Connection implements ChannelListener<ConduitStreamSourceChannel> {
    private final Pool pool;
    private final StreamConnection channel;
    private Client owner;
    long idleSince;
    private boolean closed;

    Connection(Pool pool, StreamConnection channel) {
      this.pool = pool;
      this.channel = channel;
      channel.getSourceChannel().getReadSetter().set(this);
      channel.getSourceChannel().resumeReads();
    }

    public StreamConnection channel() {
      return channel;
    }

    public Pool pool() {
      return pool;
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel source) {
      if (owner != null) {
        owner.readable();
      } else if (!quiet(source)) {
        close();
      }
    }

    /**
     * Whether an idle connection that woke up has nothing to say after all: on TLS, a record the
     * engine reads for itself (a TLS 1.3 session ticket) wakes the socket without giving bytes.
     * End of stream or stray bytes end the connection.
     */
    private static boolean quiet(ConduitStreamSourceChannel source) {
      try {
        return source.read(java.nio.ByteBuffer.allocate(1)) == 0;
      } catch (IOException e) {
        return false;
      }
    }

    public void close() {
      if (!closed) {
        closed = true;
        IoUtils.safeClose(channel);
        pool.closed(this, channel.getIoThread());
      }
    }
  }
}
