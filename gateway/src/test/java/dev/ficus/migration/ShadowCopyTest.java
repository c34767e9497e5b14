package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.server.GatewayServer;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shadow target receives: a faithful copy of the client's request (method, path after
 * the prefix is stripped, query, headers, body), marked as a shadow, sent over pooled keep-alive
 * connections. Real Undertow servers on loopback record what they get.
 */
class ShadowCopyTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One request as a server saw it. */
  record Seen(String method, String path, String query, String contentType, String shadowMark, String body,
      InetSocketAddress peer, String rawPath) {}

  @TempDir
  static Path dir;

  static Undertow primary;
  static Undertow shadow;
  static final BlockingQueue<Seen> shadowSaw = new LinkedBlockingQueue<>();
  static GatewayServer gateway;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    primary = recording(null);
    shadow = recording(shadowSaw);
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        upstreams:
          primary: { url: http://127.0.0.1:%d }
          shadow: { url: http://127.0.0.1:%d/v2 }
        routes:
          - path: /orders/**
            to: primary
            stripPrefix: /orders
            shadow: { to: shadow, unsafeMethods: true }
          - path: /sampled/**
            to: primary
            stripPrefix: /sampled
            shadow: { to: shadow, percent: 25 }
        """.formatted(port(primary), port(shadow)));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
    base = "http://127.0.0.1:" + gateway.port();
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
  void anOptedInPostReachesTheShadowWithItsBodyPathQueryAndHeaders() throws Exception {
    String body = "{\"item\":\"tea\",\"qty\":3,\"note\":\"" + "x".repeat(20_000) + "\"}";
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/orders/eu/42?dry=true"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("POST /eu/42 " + body.length());
    Seen s = shadowSaw.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("the shadow got no copy").isNotNull();
    assertThat(s.method()).isEqualTo("POST");
    assertThat(s.path()).isEqualTo("/v2/eu/42");
    assertThat(s.query()).isEqualTo("dry=true");
    assertThat(s.contentType()).isEqualTo("application/json");
    assertThat(s.shadowMark()).isEqualTo("true");
    assertThat(s.body()).isEqualTo(body);
  }

  @Test
  void escapedCharactersInThePathReachTheShadowStillEscaped() throws Exception {
    shadowSaw.clear();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/orders/a%3Fb%25c%20d?x=1"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Seen s = shadowSaw.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("the shadow got no copy").isNotNull();
    // %3F is a character of the path, not the start of a query; %25 stays a percent sign.
    assertThat(s.rawPath()).isEqualTo("/v2/a%3Fb%25c%20d");
    assertThat(s.path()).isEqualTo("/v2/a?b%c d");
    assertThat(s.query()).isEqualTo("x=1");
  }

  @Test
  void shadowCopiesReuseKeepAliveConnections() throws Exception {
    shadowSaw.clear();
    java.util.List<Seen> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/orders/n/" + i)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      // One at a time, so that an idle connection is there to be reused.
      Seen s = shadowSaw.poll(10, TimeUnit.SECONDS);
      assertThat(s).isNotNull();
      seen.add(s);
      Thread.sleep(20);
    }
    assertThat(seen.stream().map(Seen::peer).distinct().count())
        .as("20 copies sent one after the other; without pooling each would open a connection")
        .isLessThanOrEqualTo(2);
  }

  @Test
  void aRouteShadowingTwentyFivePercentCopiesAboutAQuarterOfItsRequests() throws Exception {
    shadowSaw.clear();
    int n = 200;
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/sampled/s/" + i)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    // Copies leave after their exchange completes: count until none has come for half a second.
    int copies = 0;
    while (shadowSaw.poll(500, TimeUnit.MILLISECONDS) != null) {
      copies++;
    }
    // Binomial(200, 0.25): mean 50, standard deviation 6.1; 25..80 is beyond four of them.
    assertThat(copies).isBetween(25, 80);
  }

  private static Undertow recording(BlockingQueue<Seen> into) {
    Undertow u = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(ex ->
        ex.getRequestReceiver().receiveFullString((e, text) -> answer(e, text, into), StandardCharsets.UTF_8))
        .build();
    u.start();
    return u;
  }

  private static void answer(HttpServerExchange e, String text, BlockingQueue<Seen> into) {
    if (into != null) {
      into.add(new Seen(e.getRequestMethod().toString(), e.getRequestPath(), e.getQueryString(),
          e.getRequestHeaders().getFirst(Headers.CONTENT_TYPE), e.getRequestHeaders().getFirst("X-Ficus-Shadow"),
          text, e.getSourceAddress(), e.getRequestURI()));
    }
    e.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
    e.getResponseSender().send(e.getRequestMethod() + " " + e.getRequestPath() + " " + text.length());
  }

  private static int port(Undertow u) {
    return ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
  }
}
