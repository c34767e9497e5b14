package dev.ficus.it;

import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A real gateway started on an ephemeral loopback port with a configuration directory, and a
 * JDK HTTP client to call it. The environment the configuration sees is the given map only,
 * so tests never depend on the machine's variables.
 */
final class GatewayUnderTest implements AutoCloseable {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  private static final HttpClient HTTP = newClient();

  private final GatewayServer server;
  private final String base;

  private GatewayUnderTest(GatewayServer server, int port) {
    this.server = server;
    this.base = "http://" + Loopback.HOST + ":" + port;
  }

  /**
   * A client of its own, with its own connections; for tests whose requests may leave a
   * connection unusable, so that other tests' calls are not affected.
   */
  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Starts a gateway on 127.0.0.1 with an ephemeral port; throws ConfigException on an invalid config. */
  static GatewayUnderTest start(Path configDir, Map<String, String> env) {
    return of(GatewayServer.start(configDir, env::get, Loopback.HOST, 0));
  }

  /** Wraps a gateway started by the test itself (e.g. with its configured listener). */
  static GatewayUnderTest of(GatewayServer server) {
    return new GatewayUnderTest(server, server.port());
  }

  /** A client for another listener of a running gateway (e.g. its admin port); close() is a no-op. */
  static GatewayUnderTest at(int port) {
    return new GatewayUnderTest(null, port);
  }

  GatewayServer server() {
    return server;
  }

  String url(String pathAndQuery) {
    return base + pathAndQuery;
  }

  Reply get(String pathAndQuery) {
    return send("GET", pathAndQuery, null, BodyPublishers.noBody());
  }

  Reply postJson(String path, String json) {
    return send("POST", path, "application/json", BodyPublishers.ofString(json));
  }

  Reply send(String method, String pathAndQuery, String contentType, BodyPublisher body) {
    return send(HTTP, method, pathAndQuery, contentType, body, Map.of());
  }

  Reply send(String method, String pathAndQuery, String contentType, BodyPublisher body,
      Map<String, String> headers) {
    return send(HTTP, method, pathAndQuery, contentType, body, headers);
  }

  Reply send(HttpClient client, String method, String pathAndQuery, String contentType, BodyPublisher body) {
    return send(client, method, pathAndQuery, contentType, body, Map.of());
  }

  private Reply send(HttpClient client, String method, String pathAndQuery, String contentType,
      BodyPublisher body, Map<String, String> headers) {
    try {
      return sendAsync(client, method, pathAndQuery, contentType, body, headers).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw e;
    }
  }

  CompletableFuture<Reply> sendAsync(String method, String pathAndQuery, String contentType, BodyPublisher body) {
    return sendAsync(HTTP, method, pathAndQuery, contentType, body, Map.of());
  }

  private CompletableFuture<Reply> sendAsync(HttpClient client, String method, String pathAndQuery,
      String contentType, BodyPublisher body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery)))
        .timeout(CALL_TIMEOUT)
        .method(method, body);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    String path = URI.create(url(pathAndQuery)).getRawPath();
    return client.sendAsync(b.build(), BodyHandlers.ofString())
        .thenApply(r -> new Reply(path, r.statusCode(), r.headers(), r.body()));
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
