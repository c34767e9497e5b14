package dev.ficus.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket server that answers each request with the bytes scripted for its path: parts sent
 * with pauses in between, optionally closing afterwards. Records every request (its head, then
 * a Content-Length body if any) and counts connections. One thread per connection. Loopback only.
 */
public final class ScriptedUpstream implements AutoCloseable {
  private record Script(List<Object> parts, boolean close, boolean dropWhenReused, int closeAfterMs) {}

  public final List<String> requests = new CopyOnWriteArrayList<>();
  public final AtomicInteger connections = new AtomicInteger();
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  public ScriptedUpstream() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "scripted-upstream");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Parts are Strings (sent) and Integers (milliseconds to wait before the next part). */
  public void reply(String path, Object... parts) {
    scripts.put(path, new Script(List.of(parts), false, false, -1));
  }

  public void replyAndClose(String path, Object... parts) {
    scripts.put(path, new Script(List.of(parts), true, false, -1));
  }

  /** Answers, keeps the connection open {@code ms} more, then closes it (a keep-alive timeout). */
  public void replyThenCloseAfter(String path, int ms, Object... parts) {
    scripts.put(path, new Script(List.of(parts), false, false, ms));
  }

  /** Closes the connection unanswered when the request is not the connection's first. */
  public void dropOnReusedConnection(String path, Object... parts) {
    scripts.put(path, new Script(List.of(parts), false, true, -1));
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "scripted-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      int served = 0;
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String length = header(head, "content-length");
        if (length != null && Integer.parseInt(length) > 0) {
          head += new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.ISO_8859_1);
        }
        requests.add(head);
        String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
        int q = target.indexOf('?');
        Script script = scripts.get(q < 0 ? target : target.substring(0, q));
        if (script == null || (script.dropWhenReused && served > 0)) {
          return;
        }
        for (Object part : script.parts) {
          if (part instanceof Integer ms) {
            out.flush();
            Thread.sleep(ms);
          } else {
            out.write(((String) part).getBytes(StandardCharsets.ISO_8859_1));
          }
        }
        out.flush();
        served++;
        if (script.close) {
          return;
        }
        if (script.closeAfterMs >= 0) {
          Thread.sleep(script.closeAfterMs);
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the gateway went away
    }
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      String s = b.toString(StandardCharsets.ISO_8859_1);
      if (s.endsWith("\r\n\r\n")) {
        return s;
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
