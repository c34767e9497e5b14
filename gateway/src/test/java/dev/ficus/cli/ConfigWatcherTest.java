package dev.ficus.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
