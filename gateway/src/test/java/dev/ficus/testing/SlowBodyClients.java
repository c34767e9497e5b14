package dev.ficus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A slow-body load: {@code connections} clients on 127.0.0.1 that each send a request head
 * declaring a large {@code Content-Length}, then one byte of the body now and then; a client
 * whose connection is answered or closed reconnects at once, as an attacker would, so that
 * {@code connections} stay open for the whole run. Paths are used in turn.
 *
 * <p>One thread runs every socket (non-blocking, one selector). The run is bounded in time
 * ({@code duration}) and in count (at most {@code maxConnections} opened in all).
 */
public final class SlowBodyClients implements AutoCloseable {
  /** What the slow clients saw: connections opened, answers by status, connections the peer closed unanswered. */
  public record Outcome(int opened, Map<Integer, Integer> answers, int closedUnanswered) {
    public int answered(int status) {
      return answers.getOrDefault(status, 0);
    }

    @Override
    public String toString() {
      return opened + " connections opened; answers by status " + answers + "; " + closedUnanswered
          + " closed without an answer";
    }
  }

  private final Thread thread;
  private final Map<Integer, Integer> answers = new TreeMap<>();
  private volatile int open;
  private int opened;
  private int closedUnanswered;
  private volatile boolean stopped;

  private SlowBodyClients(int port, List<String> paths, int connections, long declared, Duration byteEvery,
      Duration duration, int maxConnections) {
    thread = new Thread(() -> run(port, paths, connections, declared, byteEvery, duration, maxConnections),
        "slow-body-clients");
    thread.setDaemon(true);
  }

  /** Starts the load against {@code port}; see the class comment. */
  public static SlowBodyClients start(int port, List<String> paths, int connections, long declared,
      Duration byteEvery, Duration duration, int maxConnections) {
    SlowBodyClients c = new SlowBodyClients(port, List.copyOf(paths), connections, declared, byteEvery, duration,
        maxConnections);
    c.thread.start();
    return c;
  }

  /** Connections open right now (connected or connecting). */
  public int open() {
    return open;
  }

  /** Waits for the run to end (its duration), closes every socket and tells what happened. */
  public Outcome await() throws InterruptedException {
    thread.join();
    synchronized (answers) {
      return new Outcome(opened, new TreeMap<>(answers), closedUnanswered);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(10_000);
  }

  /** One client: its socket, its path and whether an answer came. */
  private static final class Client {
    final SocketChannel ch;
    final String path;
    final StringBuilder head = new StringBuilder();
    boolean answered;

    Client(SocketChannel ch, String path) {
      this.ch = ch;
      this.path = path;
    }
  }

  private void run(int port, List<String> paths, int connections, long declared, Duration byteEvery,
      Duration duration, int maxConnections) {
    long end = System.nanoTime() + duration.toNanos();
    List<Client> clients = new ArrayList<>();
    ByteBuffer in = ByteBuffer.allocate(4096);
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < connections && opened < maxConnections; i++) {
        clients.add(connect(selector, port, paths.get(i % paths.size()), declared));
      }
      long nextByte = System.nanoTime() + byteEvery.toNanos();
      while (!stopped && System.nanoTime() < end) {
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nextByte, end) - System.nanoTime())));
        for (SelectionKey k : selector.selectedKeys()) {
          Client c = (Client) k.attachment();
          if (!k.isValid() || !k.isReadable()) {
            continue;
          }
          in.clear();
          int n;
          try {
            n = c.ch.read(in);
          } catch (IOException e) {
            n = -1;
          }
          if (n > 0 && !c.answered) {
            c.head.append(new String(in.array(), 0, n, StandardCharsets.ISO_8859_1));
            if (c.head.length() >= 12) {
              c.answered = true;
              count(c.head.substring(9, 12));
            }
          }
          if (n < 0) {
            replace(clients, c, selector, port, declared, maxConnections);
          }
        }
        selector.selectedKeys().clear();
        if (System.nanoTime() - nextByte >= 0) {
          nextByte = System.nanoTime() + byteEvery.toNanos();
          for (Client c : new ArrayList<>(clients)) {
            if (!c.answered) {
              try {
                c.ch.write(ByteBuffer.wrap(new byte[] {' '}));
              } catch (IOException e) {
                replace(clients, c, selector, port, declared, maxConnections);
              }
            }
          }
        }
      }
      for (Client c : clients) {
        c.ch.close();
      }
      open = 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void count(String status) {
    int s;
    try {
      s = Integer.parseInt(status);
    } catch (NumberFormatException e) {
      s = -1;
    }
    synchronized (answers) {
      answers.merge(s, 1, Integer::sum);
    }
  }

  /** Closes {@code c} and opens another client on the same path, while the count allows. */
  private void replace(List<Client> clients, Client c, Selector selector, int port, long declared,
      int maxConnections) {
    try {
      c.ch.close();
    } catch (IOException e) {
      // closed anyway
    }
    clients.remove(c);
    open--;
    if (!c.answered) {
      closedUnanswered++;
    }
    if (!stopped && opened < maxConnections) {
      try {
        clients.add(connect(selector, port, c.path, declared));
      } catch (IOException e) {
        // the gateway refuses connections right now; the next replacement tries again
      }
    }
  }

  /** Connects (blocking: loopback) and sends the head and the body's first byte. */
  private Client connect(Selector selector, int port, String path, long declared) throws IOException {
    SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    opened++;
    open++;
    ch.write(ByteBuffer.wrap(("POST " + path + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + declared + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII)));
    ch.configureBlocking(false);
    Client c = new Client(ch, path);
    ch.register(selector, SelectionKey.OP_READ, c);
    return c;
  }
}
