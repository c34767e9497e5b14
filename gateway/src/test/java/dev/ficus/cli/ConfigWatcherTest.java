package dev.ficus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.http.Json;
import dev.ficus.samples.http.HttpSamples;
import dev.ficus.server.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
  @TempDir
  Path dir;

  private static String gateway(String monolith, String target) {
    return """
        ficus: gateway/v1
        upstreams:
          monolith: { url: %s }
        routes:
          - path: /**
            to: %s
        """.formatted(monolith, target);
  }

  private static int status(HttpClient c, String url) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void aSavedChangeIsAppliedAndABrokenOneIsRefusedWhileTheGatewayKeepsServing() throws Exception {
    try (HttpSamples http = HttpSamples.start("127.0.0.1", 0, 0)) {
      Files.writeString(dir.resolve("gateway.yaml"), gateway(http.monolithUrl(), "monolith"));
      try (GatewayServer server = GatewayServer.start(dir, k -> null, "127.0.0.1", 0)) {
        ConfigWatcher.start(dir, server);
        HttpClient c = HttpClient.newHttpClient();
        String health = "http://127.0.0.1:" + server.port() + "/health";
        assertThat(status(c, health)).isEqualTo(200);
        Thread.sleep(300);

        Files.writeString(dir.resolve("gateway.yaml"), gateway(http.monolithUrl(), "no-such-upstream"));
        Thread.sleep(1500);
        assertThat(status(c, health)).as("a broken file never replaces the running config").isEqualTo(200);
        assertThat(server.runtime().routes()).hasSize(1);

        Files.writeString(dir.resolve("gateway.yaml"), gateway(http.monolithUrl(), "monolith")
            + "  - path: /health\n    to: monolith\n    methods: [POST]\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && server.runtime().routes().size() != 2) {
          Thread.sleep(100);
        }
        assertThat(server.runtime().routes()).hasSize(2);
        assertThat(status(c, health)).isEqualTo(200);
      }
    }
  }

  /** GET {@code path} on the admin listener at {@code adminPort}: must be 200; its JSON. */
  static JsonNode adminJson(HttpClient c, int adminPort, String path) throws Exception {
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  /** Polls /reload/status until its last attempt is {@code outcome} by --watch (10 s at most). */
  private static JsonNode awaitWatchOutcome(HttpClient c, int adminPort, String outcome) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonNode s = adminJson(c, adminPort, "/reload/status");
    while (System.nanoTime() < deadline && !(s.path("lastAttempt").path("trigger").asText().equals("watch")
        && s.path("lastAttempt").path("outcome").asText().equals(outcome))) {
      Thread.sleep(100);
      s = adminJson(c, adminPort, "/reload/status");
    }
    return s;
  }

  @Test
  void aRefusedWatchReloadIsShownOnTheAdminListenerWithItsProblems() throws Exception {
    try (HttpSamples http = HttpSamples.start("127.0.0.1", 0, 0)) {
      String admin = "admin:\n  listen: 127.0.0.1:0\n";
      Files.writeString(dir.resolve("gateway.yaml"), gateway(http.monolithUrl(), "monolith") + admin);
      try (GatewayServer server = GatewayServer.start(dir, k -> null, "127.0.0.1", 0)) {
        HttpClient c = HttpClient.newHttpClient();
        int port = server.adminPort();
        JsonNode before = adminJson(c, port, "/reload/status");
        assertThat(before.get("config").get("version").asLong()).isEqualTo(1);
        assertThat(before.get("config").get("trigger").asText()).isEqualTo("start");
        assertThat(before.get("lastAttempt").isNull()).isTrue();
        ConfigWatcher.start(dir, server);
        Thread.sleep(300);

        Files.writeString(dir.resolve("gateway.yaml"), gateway(http.monolithUrl(), "no-such-upstream") + admin);
        JsonNode refused = awaitWatchOutcome(c, port, "refused");
        assertThat(refused.get("lastAttempt").get("outcome").asText()).isEqualTo("refused");
        assertThat(refused.get("lastAttempt").get("problems").get(0).asText())
            .startsWith("gateway.yaml:6:5: ").contains("no-such-upstream");
        assertThat(refused.get("lastAttempt").get("digest").asText()).isNotEqualTo(before.get("config").get("digest").asText());
        assertThat(refused.get("config")).as("the running configuration is the one it started with")
            .isEqualTo(before.get("config"));
        assertThat(refused.get("refused").asLong()).isEqualTo(1);
        JsonNode ready = adminJson(c, port, "/ready");
        assertThat(ready.get("status").asText()).as("the old configuration still serves").isEqualTo("UP");
        assertThat(ready.get("warning").asText()).contains("watch").contains("refused").contains("version 1");
        assertThat(status(c, "http://127.0.0.1:" + server.port() + "/health")).isEqualTo(200);

        Files.writeString(dir.resolve("gateway.yaml"), gateway(http.monolithUrl(), "monolith") + admin + "# v2\n");
        JsonNode applied = awaitWatchOutcome(c, port, "applied");
        assertThat(applied.get("config").get("version").asLong()).isEqualTo(2);
        assertThat(applied.get("config").get("trigger").asText()).isEqualTo("watch");
        assertThat(applied.get("lastRefused").get("trigger").asText()).isEqualTo("watch");
        assertThat(applied.get("recent")).hasSize(2);
        assertThat(adminJson(c, port, "/ready").has("warning")).as("the newest reload went through").isFalse();
      }
    }
  }
}
