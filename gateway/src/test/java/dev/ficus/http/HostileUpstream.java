package dev.ficus.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An upstream that answers with whatever raw bytes a test scripts (valid HTTP or not) and
 * records, per connection, exactly the bytes it received and how the connection ended: closed
 * (FIN), reset (RST), or still open when it stopped listening. Unlike {@link ScriptedUpstream}
 * it reads request bodies of either framing, so a test can tell a complete upload from a cut one.
 *
 * <p>Each connection serves one request: the scripted reply goes out once the request is
 * complete (its head, then a Content-Length body or a chunked body up to {@code 0\r\n\r\n}),
 * or right after the head with {@link #replyBeforeBody}; then the connection is read for
 * {@link #AFTER_REPLY_MS} more (what else the gateway sends) and closed. Unanswered, it is read
 * until the gateway ends it or {@link #LINGER_MS} passes. One thread per connection. Loopback only.
 */
public final class HostileUpstream implements AutoCloseable {
  /** How long a connection is read after the reply before it is given up as open. */
  public static final int LINGER_MS = 10_000;
  /** How long a connection is read after the reply went out. */
  public static final int AFTER_REPLY_MS = 300;

  /** How a connection ended, seen from the upstream. */
  public enum End { CLOSED, RESET, OPEN }

  /** One connection: the bytes the gateway sent on it, and how it ended. */
  public record Connection(byte[] bytes, End end) {
    public String text() {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private volatile List<Object> reply = List.of();
  private volatile boolean beforeBody;
  private volatile boolean silent;
  private final BlockingQueue<Connection> ended = new LinkedBlockingQueue<>();
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  public HostileUpstream() throws IOException {
    this(null);
  }

  /** Speaking TLS with {@code tls}'s certificate ({@code https://} upstreams) when it is not null. */
  public HostileUpstream(javax.net.ssl.SSLContext tls) throws IOException {
    server = tls == null ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
        : tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "hostile-upstream");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** From now on, answers each complete request with {@code parts}: Strings sent, Integers paused for (ms). */
  public HostileUpstream reply(Object... parts) {
    reply = List.of(parts);
    beforeBody = false;
    silent = false;
    ended.clear();
    return this;
  }

  /** From now on, answers as soon as the request head is in, whatever the body. */
  public HostileUpstream replyBeforeBody(Object... parts) {
    reply(parts);
    beforeBody = true;
    return this;
  }

  /** From now on, never answers: only records. */
  public HostileUpstream silent() {
    reply();
    silent = true;
    return this;
  }

  /** The next connection to end, waiting up to {@code seconds}; null if none did. */
  public Connection next(int seconds) throws InterruptedException {
    return ended.poll(seconds, TimeUnit.SECONDS);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "hostile-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    End end = End.OPEN;
    List<Object> parts = reply;
    boolean early = beforeBody;
    boolean quiet = silent;
    try (s) {
      s.setSoTimeout(LINGER_MS);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      byte[] b = new byte[64 * 1024];
      boolean replied = false;
      while (true) {
        if (!replied && !quiet && (early ? headEnd(got.toByteArray()) > 0 : requestComplete(got.toByteArray()))) {
          replied = true;
          send(out, parts);
          s.setSoTimeout(AFTER_REPLY_MS);
        }
        int n;
        try {
          n = in.read(b);
        } catch (SocketTimeoutException e) {
          break;
        } catch (SocketException e) {
          end = End.RESET;
          break;
        }
        if (n < 0) {
          end = End.CLOSED;
          break;
        }
        got.write(b, 0, n);
      }
    } catch (IOException | InterruptedException e) {
      if (end == End.OPEN) {
        end = End.RESET;
      }
    }
    ended.add(new Connection(got.toByteArray(), end));
  }

  private static void send(OutputStream out, List<Object> parts) throws IOException, InterruptedException {
    for (Object part : parts) {
      if (part instanceof Integer ms) {
        out.flush();
        Thread.sleep(ms);
      } else {
        out.write(((String) part).getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    out.flush();
  }

  private static int headEnd(byte[] b) {
    String s = new String(b, StandardCharsets.ISO_8859_1);
    int i = s.indexOf("\r\n\r\n");
    return i < 0 ? -1 : i + 4;
  }

  /**
   * Whether {@code b} holds a whole request: a head and its body. A chunked body ends at the
   * first {@code 0\r\n\r\n} after a line end, which is what the gateway writes (no extensions
   * or trailers); test bodies do not contain that sequence.
   */
  static boolean requestComplete(byte[] b) {
    int end = headEnd(b);
    if (end < 0) {
      return false;
    }
    String head = new String(b, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    String body = new String(b, end, b.length - end, StandardCharsets.ISO_8859_1);
    if (head.contains("\r\ntransfer-encoding: chunked\r\n")) {
      return body.startsWith("0\r\n\r\n") || body.contains("\r\n0\r\n\r\n");
    }
    int cl = head.indexOf("\r\ncontent-length:");
    if (cl < 0) {
      return true;
    }
    long length = Long.parseLong(head.substring(cl + 17, head.indexOf("\r\n", cl + 2)).trim());
    return body.length() >= length;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
