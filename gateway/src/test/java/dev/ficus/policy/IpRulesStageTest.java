package dev.ficus.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.config.ConfigException;
import dev.ficus.http.Json;
import dev.ficus.server.GatewayServer;
import dev.ficus.testing.HeaderRecorder;
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
 * {@code policies.ip}, the first policy of the route chain: a gateway-wide default that routes
 * inherit, replace or turn off, checked on the client address the request context works out
 * (here through a trusted proxy's {@code X-Forwarded-For}), refusing with 403 before the
 * upstream sees anything.
 */
class IpRulesStageTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path dir;

  private static HeaderRecorder upstream;
  private static GatewayServer gateway;

  @BeforeAll
  static void start() throws Exception {
    upstream = new HeaderRecorder("up");
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        listen: 127.0.0.1:0
        trustedProxies: [127.0.0.1]
        policies:
          ip: { allow: [203.0.113.0/24] }
        upstreams:
          up: { url: "%s" }
        routes:
          - path: /open/**
            to: up
            policies: { ip: {} }
          - path: /internal/**
            to: up
            policies:
              ip: { allow: [10.0.0.0/8], deny: [10.0.0.66] }
          - path: /**
            to: up
        """.formatted(upstream.url()));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
  }

  @Test
  void theGatewayWideRuleAppliesToEveryRouteThatSetsNoneOfItsOwn() throws Exception {
    assertThat(from("203.0.113.5", "/anything").statusCode()).isEqualTo(200);
    upstream.next();
    HttpResponse<String> refused = from("198.51.100.1", "/anything");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode p = Json.MAPPER.readTree(refused.body());
    assertThat(p.get("type").textValue()).isEqualTo("urn:ficus:problem:forbidden");
    assertThat(p.get("detail").textValue()).contains("198.51.100.1");
    assertThat(upstream.waiting()).as("the upstream never saw the refused request").isZero();
  }

  @Test
  void aRouteReplacesTheDefaultOrTurnsItOff() throws Exception {
    assertThat(from("198.51.100.1", "/open/page").statusCode()).as("ip: {} turns the default off").isEqualTo(200);
    upstream.next();
    assertThat(from("10.1.2.3", "/internal/x").statusCode()).isEqualTo(200);
    upstream.next();
    assertThat(from("10.0.0.66", "/internal/x").statusCode()).as("deny wins over allow").isEqualTo(403);
    assertThat(from("203.0.113.5", "/internal/x").statusCode()).as("the route's allow replaces the default's")
        .isEqualTo(403);
    assertThat(upstream.waiting()).isZero();
  }

  @Test
  void theChainShowsTheRuleWhereItApplies() {
    var chains = gateway.runtime().chains();
    assertThat(chains).filteredOn(c -> c.route().equals("* /open/**")).singleElement()
        .extracting(c -> c.describe()).isEqualTo("context ▸ upstream up");
    assertThat(chains).filteredOn(c -> c.route().equals("* /internal/**")).singleElement()
        .extracting(c -> c.describe()).isEqualTo("context ▸ ip allow 10.0.0.0/8 deny 10.0.0.66 ▸ upstream up");
  }

  @Test
  void aBadBlockOrAnUnknownPolicyIsAProblemWithItsLocation(@TempDir Path bad) throws Exception {
    Files.writeString(bad.resolve("gateway.yaml"), """
        ficus: gateway/v1
        listen: 127.0.0.1:0
        upstreams:
          up: { url: "http://127.0.0.1:9" }
        routes:
          - path: /a/**
            to: up
            policies:
              ip: { allow: [10.0.0.0/33] }
          - path: /b/**
            to: up
            policies:
              ipp: { allow: [10.0.0.1] }
        """);
    assertThatThrownBy(() -> GatewayServer.start(bad, k -> null, "127.0.0.1", 0))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("gateway.yaml:9")
        .hasMessageContaining("policies.ip.allow")
        .hasMessageContaining("gateway.yaml:13")
        .hasMessageContaining("'ipp'")
        .hasMessageContaining("ip");
  }

  private static HttpResponse<String> from(String client, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .header("X-Forwarded-For", client).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
