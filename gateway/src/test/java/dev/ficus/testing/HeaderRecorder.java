package dev.ficus.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain HTTP service on 127.0.0.1 (the JDK's server) that answers every request with
 * {@code 200 {"served":"NAME"}} and records the request headers it received, lower-cased, in
 * arrival order, for tests of what the gateway forwards. Closes with the test.
 */
public final class HeaderRecorder implements AutoCloseable {
  private final HttpServer server;
  private final LinkedBlockingQueue<Map<String, List<String>>> received = new LinkedBlockingQueue<>(1000);

  public HeaderRecorder(String name) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = ("{\"served\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
    server.createContext("/", ex -> {
      Map<String, List<String>> h = new TreeMap<>();
      ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
      ex.getRequestBody().readAllBytes();
      received.offer(h);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The headers of the next request received, waiting at most 10 s; fails when none came. */
  public Map<String, List<String>> next() {
    try {
      Map<String, List<String>> h = received.poll(10, TimeUnit.SECONDS);
      if (h == null) {
        throw new AssertionError("no request reached " + url() + " within 10 s");
      }
      return h;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** How many requests were received and not yet taken with {@link #next}. */
  public int waiting() {
    return received.size();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
