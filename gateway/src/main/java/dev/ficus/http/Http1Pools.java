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

/**
 * Keep-alive HTTP/1.1 connections to the {@code http://} URLs of one upstream or shadow target,
 * for the gateway's lean clients (the pass-through's {@code Http1Exchange}, shadow copies).
 *
 * <p>Design: every IO thread has pools of its own (one per URL), touched only by that thread, so
 * nothing here is locked or shared between threads: a request is forwarded on a connection of
 * the IO thread that read it. A thread opens at most {@code perThread} connections per URL;
 * requests beyond that wait in a bounded queue and take the next connection that is released.
 * Idle connections keep their reads armed, so a connection the upstream closes is noticed and
 * dropped rather than handed to the next request. URLs are taken round-robin; one that refused
 * a connection is skipped for {@link #DOWN_MILLIS} while another is available.
 *
 * <p>Shared by every configuration naming the same upstream, so a reload keeps the connections.
 */
public final class Http1Pools {
  /** How long a URL that refused a connection is passed over while another is up. */
  static final long DOWN_MILLIS = 5_000;
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

  /** One upstream URL. */
  public static final class Target {
    final String host;
    final int port;
    private final String hostHeader;
    private final String basePath;
    volatile long downUntil;

    Target(URI u) {
      host = u.getHost();
      port = u.getPort() > 0 ? u.getPort() : 80;
      hostHeader = host + ":" + port;
      String p = u.getRawPath();
      basePath = p == null || p.equals("/") ? "" : p;
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

  private final Target[] targets;
  private final int perThread;
  private final int maxWaiting;
  private final ThreadLocal<Pool[]> pools;
  private final ThreadLocal<int[]> next = ThreadLocal.withInitial(() -> new int[1]);

  /**
   * Pools for {@code urls} ({@code http://} only), at most {@code perThread} connections per IO
   * thread and URL, at most {@code maxWaiting} requests per IO thread and URL waiting for one.
   */
  public Http1Pools(List<URI> urls, int perThread, int maxWaiting) {
    this.targets = urls.stream().map(Target::new).toArray(Target[]::new);
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
      IoFuture<StreamConnection> f = thread.openStreamConnection(new InetSocketAddress(target.host, target.port),
          (ChannelListener<StreamConnection>) sc -> {
            Connection c = new Connection(this, sc);
            target.downUntil = 0;
            c.owner = x;
            if (!x.connected(c, false)) {
              release(c);
            }
          }, BackendSockets.OPTIONS);
      f.addNotifier(new IoFuture.HandlingNotifier<StreamConnection, Object>() {
        @Override
        public void handleFailed(IOException e, Object attachment) {
          open--;
          if (targets.length > 1) {
            target.downUntil = System.currentTimeMillis() + DOWN_MILLIS;
          }
          x.connectFailed(Pool.this, e);
          serveWaiting(thread);
        }
      }, null);
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
      } else {
        close();
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
