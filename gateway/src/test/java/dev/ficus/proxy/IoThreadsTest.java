package dev.ficus.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.http.HttpSamples;
import dev.ficus.server.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener's IO threads: one per CPU unless {@code ioThreads} says otherwise. */
class IoThreadsTest {
  private static HttpSamples http;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    http = HttpSamples.start("127.0.0.1", 0, 0);
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  private GatewayServer gateway(String extra) throws Exception {
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        %s
        upstreams:
          monolith: { url: %s, maxConnections: 3 }
        routes:
          - path: /**
            to: monolith
        """.formatted(extra, http.monolithUrl()));
    return GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
  }

  @Test
  void theGatewayFileSetsHowManyIoThreadsServeTheListener() throws Exception {
    try (GatewayServer g = gateway("ioThreads: 3")) {
      assertThat(g.ioThreads()).isEqualTo(3);
      // 30 calls at once, on as many client connections as the client opens, spread over the
      // three threads; each thread has one upstream connection of the three, so calls wait for
      // it in turn, and every one still gets its answer.
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/echo-headers?call=" + i))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
            .thenApply(HttpResponse::statusCode));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
      assertThat(calls).allSatisfy(c -> assertThat(c.join()).isEqualTo(200));
    }
  }

  @Test
  void withoutTheSettingThereIsOneIoThreadPerCpu() throws Exception {
    try (GatewayServer g = gateway("")) {
      assertThat(g.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
  }
}
