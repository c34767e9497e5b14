package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.http.Json;
import dev.ficus.server.GatewayServer;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response headers a shadow route names under {@code headers:} are compared through the
 * gateway, by name in any case, against real primary and shadow servers that answer the same
 * JSON body with one header different and one the same. The client is Java's default HTTP
 * client, which offers an h2c upgrade with every plain-HTTP request: those are shadowed too.
 */
class ShadowHeaderCompareTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path dir;
  static Undertow primary;
  static Undertow shadow;
  static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    primary = server("\"v1\"");
    shadow = server("\"v2\"");
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        admin: { listen: 127.0.0.1:0 }
        upstreams:
          primary: { url: http://127.0.0.1:%d }
          shadow: { url: http://127.0.0.1:%d }
        routes:
          - path: /etag/**
            to: primary
            shadow: { to: shadow, headers: [ETag] }
          - path: /same/**
            to: primary
            shadow: { to: shadow, headers: [x-same] }
        """.formatted(port(primary), port(shadow)));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    primary.stop();
    shadow.stop();
  }

  @Test
  void aNamedHeaderThatDiffersIsAMismatchAtItsPointer() throws Exception {
    assertThat(get("/etag/1").statusCode()).isEqualTo(200);
    JsonNode p = awaitCompared("/etag/**");
    assertThat(p.get("mismatches").asLong()).isEqualTo(1);
    assertThat(p.get("mismatchesByPointer").has("/headers/etag")).as(p.toString()).isTrue();
    assertThat(p.get("mismatchesByPointer").size()).as("the equal JSON bodies do not differ").isEqualTo(1);
  }

  @Test
  void aNamedHeaderThatIsEqualInAnyCaseMatches() throws Exception {
    assertThat(get("/same/1").statusCode()).isEqualTo(200);
    JsonNode p = awaitCompared("/same/**");
    assertThat(p.get("matches").asLong()).isEqualTo(1);
    assertThat(p.get("mismatches").asLong()).isZero();
  }

  private static Undertow server(String etag) {
    Undertow u = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(ex -> {
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
      ex.getResponseHeaders().put(Headers.ETAG, etag);
      ex.getResponseHeaders().put(new HttpString("X-Same"), "a");
      ex.getResponseSender().send("{\"id\":1,\"name\":\"Ada\"}");
    }).build();
    u.start();
    return u;
  }

  private static int port(Undertow u) {
    return ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode awaitCompared(String route) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gateway.adminPort() + "/migration/parity")).build(),
          HttpResponse.BodyHandlers.ofString());
      for (JsonNode p : Json.MAPPER.readTree(r.body())) {
        if (p.get("route").asText().endsWith(" " + route) && p.get("compared").asLong() >= 1) {
          return p;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no comparison for " + route + " within 10 s: " + HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.adminPort() + "/migration/parity")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }
}
