package dev.ficus.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving HTTP backend for failure tests: the JDK's {@link HttpServer} on 127.0.0.1
 * with an ephemeral port, answering each path with a test-supplied handler. Not a SOAP
 * service: it exists to send what a real one must not (HTML, broken XML, DTDs, endless
 * bodies, nothing at all). Counts the requests it receives. Handlers run on a small fixed
 * pool, so a handler that hangs must be bounded by the test.
 */
final class StubBackend implements AutoCloseable {
  /** Answers one exchange, given the request body; may throw IOException when the client goes away. */
  interface Handler {
    void handle(HttpExchange ex, byte[] requestBody) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final AtomicInteger requests = new AtomicInteger();

  private StubBackend(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  static StubBackend start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 50);
      ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "stub-backend");
        t.setDaemon(true);
        return t;
      });
      s.setExecutor(pool);
      s.start();
      return new StubBackend(s, pool);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves {@code path} with {@code handler}; the request body is read fully first. */
  StubBackend route(String path, Handler handler) {
    server.createContext(path, ex -> {
      requests.incrementAndGet();
      try (ex) {
        handler.handle(ex, ex.getRequestBody().readAllBytes());
      } catch (IOException e) {
        // the gateway hung up (e.g. it stopped reading an oversized reply): expected here
      }
    });
    return this;
  }

  String url(String path) {
    return "http://" + Loopback.HOST + ":" + server.getAddress().getPort() + path;
  }

  int requests() {
    return requests.get();
  }

  /** Sends {@code body} with a status and content type, and a Content-Length. */
  static void reply(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
