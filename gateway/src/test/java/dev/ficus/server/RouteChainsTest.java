package dev.ficus.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.chain.Chain;
import dev.ficus.chain.Stage;
import dev.ficus.http.Json;
import dev.ficus.testing.HeaderRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route's chain comes from the one list of stages: a stage added to the list (here the
 * test's {@link CountingStage}) runs on the route it chose and nowhere else, the other routes'
 * chains are unchanged, and the admin listener's {@code /routes} shows the chains as built.
 */
class RouteChainsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path dir;

  private static HeaderRecorder orders;
  private static HeaderRecorder users;

  @BeforeAll
  static void start() throws Exception {
    orders = new HeaderRecorder("orders");
    users = new HeaderRecorder("users");
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        listen: 127.0.0.1:0
        trustedProxies: [127.0.0.1]
        upstreams:
          orders: { url: "%s" }
          users: { url: "%s" }
        routes:
          - path: /orders/**
            to: orders
          - path: /users/**
            split: { users: 50, orders: 50 }
            shadow: { to: orders }
          - path: /**
            to: users
        admin:
          listen: 127.0.0.1:0
        """.formatted(orders.url(), users.url()));
  }

  @AfterAll
  static void stop() {
    orders.close();
    users.close();
  }

  @Test
  void aStageAddedToTheListRunsOnTheRouteItChoseOnlyAndLeavesTheOtherChainsAsTheyWere() throws Exception {
    CountingStage counting = new CountingStage("* /orders/**");
    UnaryOperator<List<Stage>> afterContext = stages -> {
      List<Stage> l = new ArrayList<>(stages);
      l.add(1, counting);
      return l;
    };
    Map<String, String> plain;
    try (GatewayServer g = GatewayServer.start(dir, k -> null, "127.0.0.1", 0)) {
      plain = chains(g);
    }
    try (GatewayServer g = GatewayServer.start(dir, k -> null, "127.0.0.1", 0, afterContext)) {
      Map<String, String> counted = chains(g);
      assertThat(counted.get("* /orders/**")).isEqualTo("context ▸ count ▸ upstream orders");
      assertThat(plain.get("* /orders/**")).isEqualTo("context ▸ upstream orders");
      Map<String, String> others = new java.util.HashMap<>(counted);
      others.remove("* /orders/**");
      Map<String, String> plainOthers = new java.util.HashMap<>(plain);
      plainOthers.remove("* /orders/**");
      assertThat(others).isEqualTo(plainOthers).isNotEmpty();

      for (int i = 0; i < 3; i++) {
        assertThat(get(g, "/orders/" + i).statusCode()).isEqualTo(200);
        assertThat(get(g, "/elsewhere/" + i).statusCode()).isEqualTo(200);
      }
      assertThat(counting.requests.get()).isEqualTo(3);
    }
  }

  @Test
  void theClientAddressIsTheNearestOneNotATrustedProxy() throws Exception {
    CountingStage counting = new CountingStage("* /orders/**");
    try (GatewayServer g = GatewayServer.start(dir, k -> null, "127.0.0.1", 0, s -> {
      List<Stage> l = new ArrayList<>(s);
      l.add(1, counting);
      return l;
    })) {
      get(g, "/orders/1");
      get(g, "/orders/2", "X-Forwarded-For", "203.0.113.7");
      // The client may write anything at the left; the hop the trusted proxy added counts.
      get(g, "/orders/3", "X-Forwarded-For", "198.51.100.1, 203.0.113.9");
      get(g, "/orders/4", "X-Forwarded-For", "not-an-address");
      assertThat(counting.clients).containsExactly("127.0.0.1", "203.0.113.7", "203.0.113.9", "unknown");
    }
  }

  @Test
  void adminRoutesShowsEachRoutesChainAsBuilt() throws Exception {
    try (GatewayServer g = GatewayServer.start(dir, k -> null, "127.0.0.1", 0)) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + g.adminPort() + "/routes")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode routes = Json.MAPPER.readTree(r.body());
      Map<String, String> shown = new java.util.LinkedHashMap<>();
      routes.forEach(n -> {
        List<String> parts = new ArrayList<>();
        n.get("chain").forEach(c -> parts.add(c.textValue()));
        parts.add(n.get("target").textValue());
        shown.put(n.get("route").textValue(), String.join(" ▸ ", parts));
      });
      assertThat(shown).isEqualTo(chains(g));
      assertThat(shown.get("* /users/**")).isEqualTo("context ▸ shadow to orders (compared) ▸ split users=50 orders=50");
    }
  }

  private static Map<String, String> chains(GatewayServer g) {
    return g.runtime().chains().stream().collect(Collectors.toMap(Chain::route, Chain::describe,
        (a, b) -> a, java.util.LinkedHashMap::new));
  }

  private static HttpResponse<String> get(GatewayServer g, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
        .timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
