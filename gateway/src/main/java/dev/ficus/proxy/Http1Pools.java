package dev.ficus.proxy;

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
 * Keep-alive connections to the {@code http://} URLs of one upstream, for {@link Http1Exchange}.
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
final class Http1Pools {
  static final long DOWN_MILLIS = 5_000;
  private static final long IDLE_MILLIS = 60_000;

  /** One upstream URL. {@code hostHeader}: {@code host:port} as sent when Host is rewritten. */
  static final class Target {
    final String host;
    final int port;
    final String hostHeader;
    /** The URL's path, prepended to every forwarded path ("" when none or "/"). */
    final String basePath;
    volatile long downUntil;

    Target(URI u) {
      host = u.getHost();
      port = u.getPort() > 0 ? u.getPort() : 80;
      hostHeader = host + ":" + port;
      String p = u.getRawPath();
      basePath = p == null || p.equals("/") ? "" : p;
    }
  }

  private final Target[] targets;
  private final int perThread;
  private final int maxWaiting;
  private final ThreadLocal<Pool[]> pools;
  private final ThreadLocal<int[]> next = ThreadLocal.withInitial(() -> new int[1]);

  Http1Pools(List<URI> urls, int perThread, int maxWaiting) {
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

  /** This IO thread's pool for the next URL in turn, skipping URLs marked down while others are up. */
  Pool pick(Pool avoid) {
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
  final class Pool {
    final Target target;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<Http1Exchange> waiting = new ArrayDeque<>();
    private int open;

    Pool(Target target) {
      this.target = target;
    }

    /**
     * Gives {@code x} a connection now (an idle one, or a new one once it is open) or queues it
     * for the next one released. False when the queue is full.
     */
    boolean acquire(Http1Exchange x, XnioIoThread thread) {
      long now = System.currentTimeMillis();
      Connection c;
      while ((c = idle.pollLast()) != null) {
        if (c.channel.isOpen() && now - c.idleSince < IDLE_MILLIS) {
          c.owner = x;
          x.connected(c, true);
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
    void leave(Http1Exchange x) {
      waiting.remove(x);
    }

    private void connect(Http1Exchange x, XnioIoThread thread) {
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
    void release(Connection c) {
      c.owner = null;
      Http1Exchange w = waiting.poll();
      if (w != null) {
        c.owner = w;
        w.connected(c, true);
        return;
      }
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
  static final class Connection implements ChannelListener<ConduitStreamSourceChannel> {
    final Pool pool;
    final StreamConnection channel;
    Http1Exchange owner;
    long idleSince;
    private boolean closed;

    Connection(Pool pool, StreamConnection channel) {
      this.pool = pool;
      this.channel = channel;
      channel.getSourceChannel().getReadSetter().set(this);
      channel.getSourceChannel().resumeReads();
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel source) {
      if (owner != null) {
        owner.backendReadable();
      } else {
        close();
      }
    }

    void close() {
      if (!closed) {
        closed = true;
        IoUtils.safeClose(channel);
        pool.closed(this, channel.getIoThread());
      }
    }
  }
}
