package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.http.HttpSamples;
import dev.ficus.server.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sticky: consumer} end to end: a 50/50 split between the real legacy monolith and the
 * real new customer service keeps every API consumer on one side, whichever of its tokens it
 * sends, while different consumers spread over both sides.
 */
class StickyConsumerTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path dir;
  static HttpSamples http;
  static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    http = HttpSamples.start("127.0.0.1", 0, 0);
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        debugHeaders: true
        upstreams:
          monolith: { url: %s }
          customers-v2: { url: %s }
        routes:
          - path: /api/customers/{id}
            split: { monolith: 50, customers-v2: 50 }
            sticky: consumer
        """.formatted(http.monolithUrl(), http.newCustomersUrl()));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (http != null) {
      http.close();
    }
  }

  @Test
  void eachConsumerStaysOnOneSideWhicheverTokenItSends() throws Exception {
    Set<String> sides = new HashSet<>();
    for (int user = 0; user < 24; user++) {
      String first = null;
      for (int token = 1; token <= 4; token++) {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/api/customers/1"))
            .header("Authorization", "Bearer " + jwt("user-" + user, token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String side = r.headers().firstValue("X-Ficus-Target").orElseThrow();
        if (first == null) {
          first = side;
        }
        assertThat(side).as("user-%d, token %d", user, token).isEqualTo(first);
      }
      sides.add(first);
    }
    // 24 consumers on a 50/50 split all on one side: probability 2^-23.
    assertThat(sides).containsExactlyInAnyOrder("monolith", "customers-v2");
  }

  /** A JWT of {@code subject}, different for every {@code issuedAt} (unsigned: only its claims are read). */
  private static String jwt(String subject, int issuedAt) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(("{\"iss\":\"idp\",\"sub\":\"" + subject + "\",\"iat\":" + issuedAt + "}")
            .getBytes(StandardCharsets.UTF_8)) + ".";
  }
}
