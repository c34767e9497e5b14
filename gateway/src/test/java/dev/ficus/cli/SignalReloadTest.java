package dev.ficus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.http.HttpSamples;
import dev.ficus.testing.GatewayProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -HUP} on a gateway in its own JVM reloads its configuration (the JVM's default
 * would stop it): a valid change is served, an invalid one is refused and recorded while the
 * previous configuration keeps serving, and the process stays alive throughout.
 */
class SignalReloadTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  private static String gateway(String monolith, String path, String target, int adminPort) {
    return """
        ficus: gateway/v1
        upstreams:
          monolith: { url: %s }
        routes:
          - path: %s
            to: %s
        admin:
          listen: 127.0.0.1:%d
        """.formatted(monolith, path, target, adminPort);
  }

  private static int status(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static JsonNode reloadStatus(int adminPort) throws Exception {
    return ConfigWatcherTest.adminJson(HTTP, adminPort, "/reload/status");
  }

  /** {@code kill -HUP PID}: only the process this test started. */
  private static void hangUp(GatewayProcess g) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(g.pid())).redirectErrorStream(true).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** Polls /reload/status (10 s at most) until {@code attempts} reloads are recorded; returns it. */
  private static JsonNode awaitAttempts(GatewayProcess g, int adminPort, int attempts) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonNode s = reloadStatus(adminPort);
    while (System.nanoTime() < deadline && g.isAlive() && s.get("recent").size() < attempts) {
      Thread.sleep(100);
      s = reloadStatus(adminPort);
    }
    return s;
  }

  @Test
  void sighupReloadsAValidChangeAndKeepsServingOnAnInvalidOne() throws Exception {
    try (HttpSamples http = HttpSamples.start("127.0.0.1", 0, 0)) {
      int adminPort = GatewayProcess.freePort();
      Path file = dir.resolve("gateway.yaml");
      Files.writeString(file, gateway(http.monolithUrl(), "/api/**", "monolith", adminPort));
      try (GatewayProcess g = GatewayProcess.start(dir, "128m")) {
        assertThat(status(g.baseUrl() + "/health")).as("no route for it yet").isEqualTo(404);

        Files.writeString(file, gateway(http.monolithUrl(), "/**", "monolith", adminPort));
        hangUp(g);
        JsonNode applied = awaitAttempts(g, adminPort, 1);
        assertThat(g.isAlive()).as("SIGHUP does not stop the gateway:\n" + g.log()).isTrue();
        assertThat(applied.get("lastAttempt").get("trigger").asText()).isEqualTo("signal");
        assertThat(applied.get("lastAttempt").get("outcome").asText()).isEqualTo("applied");
        assertThat(applied.get("config").get("version").asLong()).isEqualTo(2);
        assertThat(status(g.baseUrl() + "/health")).as("the new route is served").isEqualTo(200);

        Files.writeString(file, gateway(http.monolithUrl(), "/**", "no-such-upstream", adminPort));
        hangUp(g);
        JsonNode refused = awaitAttempts(g, adminPort, 2);
        assertThat(g.isAlive()).isTrue();
        assertThat(refused.get("lastAttempt").get("outcome").asText()).isEqualTo("refused");
        assertThat(refused.get("lastAttempt").get("problems").get(0).asText()).contains("no-such-upstream");
        assertThat(refused.get("config").get("version").asLong()).isEqualTo(2);
        assertThat(status(g.baseUrl() + "/health")).as("the previous configuration still serves").isEqualTo(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && !g.log().contains("Configuration change rejected (signal)")) {
          Thread.sleep(50); // printed just after the attempt is recorded
        }
        assertThat(g.log()).contains("Configuration change rejected (signal)");
      }
    }
  }
}
