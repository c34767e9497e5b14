package dev.ficus.migration;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shadow target that accepts connections on 127.0.0.1 and never answers: either it never
 * reads either (the copy's bytes pile up in the socket buffers, then the gateway's writes stall),
 * or it reads every byte and throws it away, or it reads the first bytes and resets the
 * connection (RST). Counts connections and bytes read. One thread per connection in the reading
 * modes; every socket is closed by {@link #close()}.
 */
final class BlackHoleTarget implements AutoCloseable {
  enum Mode { NEVER_READS, READS_AND_DISCARDS, RESETS }

  final AtomicInteger connections = new AtomicInteger();
  final AtomicLong bytesRead = new AtomicLong();
  private final Mode mode;
  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  BlackHoleTarget(Mode mode) throws IOException {
    this.mode = mode;
    server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "black-hole-" + mode);
    t.setDaemon(true);
    t.start();
  }

  Mode mode() {
    return mode;
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        open.add(s);
        if (mode != Mode.NEVER_READS) {
          Thread t = new Thread(() -> discard(s), "black-hole-connection");
          t.setDaemon(true);
          t.start();
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private void discard(Socket s) {
    byte[] buf = new byte[64 * 1024];
    try {
      InputStream in = s.getInputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        bytesRead.addAndGet(n);
        if (mode == Mode.RESETS) {
          s.setSoLinger(true, 0);
          break;
        }
      }
    } catch (IOException e) {
      // the gateway closed the connection (its copy timed out)
    } finally {
      open.remove(s);
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
