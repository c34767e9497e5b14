package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.config.Specs.KeyKind;
import dev.ficus.config.Specs.RequestKey;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitHandlerTest {
  private static SplitHandler split(int oldWeight, int newWeight) {
    return new SplitHandler(List.of(new SplitHandler.Target("legacy", oldWeight, ex -> { }),
        new SplitHandler.Target("v2", newWeight, ex -> { })), List.of(new RequestKey(KeyKind.HEADER, "x-target")),
        new RequestKey(KeyKind.HEADER, "x-user-id"), false);
  }

  private static HttpServerExchange exchange(Map<String, String> headers) {
    HttpServerExchange ex = new HttpServerExchange(null, new HeaderMap(), new HeaderMap(), 0);
    headers.forEach((k, v) -> ex.getRequestHeaders().put(new io.undertow.util.HttpString(k), v));
    return ex;
  }

  @Test
  void weightsAreRespectedWithinStatisticalTolerance() {
    SplitHandler s = split(90, 10);
    int v2 = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      if (s.choose(exchange(Map.of())).name().equals("v2")) {
        v2++;
      }
    }
    // 10 % of 20 000 = 2 000, standard deviation ≈ 42; 5 sigma either way.
    assertThat(v2).isBetween(1790, 2210);
  }

  @Test
  void stickyKeysSplitByWeightToo() {
    SplitHandler s = split(70, 30);
    int v2 = 0;
    for (int i = 0; i < 10_000; i++) {
      if (s.choose(exchange(Map.of("x-user-id", "user-" + i))).name().equals("v2")) {
        v2++;
      }
    }
    assertThat(v2).isBetween(2770, 3230);
  }

  @Test
  void aUserStaysOnTheSameSideAndOnlyMovesTowardsTheGrowingTarget() {
    Map<String, String> before = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      before.put("u" + i, split(90, 10).choose(exchange(Map.of("x-user-id", "u" + i))).name());
    }
    for (int i = 0; i < 2000; i++) {
      String again = split(90, 10).choose(exchange(Map.of("x-user-id", "u" + i))).name();
      assertThat(again).isEqualTo(before.get("u" + i));
      String later = split(50, 50).choose(exchange(Map.of("x-user-id", "u" + i))).name();
      if (before.get("u" + i).equals("v2")) {
        assertThat(later).as("a v2 user stays on v2 as its share grows").isEqualTo("v2");
      }
    }
  }

  @Test
  void aForceHeaderNamingATargetWins() {
    SplitHandler s = split(100, 0);
    assertThat(s.choose(exchange(Map.of("x-target", "v2"))).name()).isEqualTo("v2");
    assertThat(s.choose(exchange(Map.of("x-target", "nonsense"))).name()).isEqualTo("legacy");
  }

  private static SplitHandler byConsumer(int oldWeight, int newWeight) {
    return new SplitHandler(List.of(new SplitHandler.Target("legacy", oldWeight, ex -> { }),
        new SplitHandler.Target("v2", newWeight, ex -> { })), List.of(), new RequestKey(KeyKind.CONSUMER, null), false);
  }

  /** An unsigned JWT with these claims: the consumer is read from claims, never verified. */
  private static String jwt(String claimsJson) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claimsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".sig";
  }

  @Test
  void everyTokenOfOneJwtSubjectLandsOnTheSameSide() {
    SplitHandler s = byConsumer(50, 50);
    int v2 = 0;
    for (int user = 0; user < 400; user++) {
      String first = s.choose(exchange(Map.of("Authorization",
          "Bearer " + jwt("{\"iss\":\"idp\",\"sub\":\"user-" + user + "\",\"iat\":1}")))).name();
      for (int token = 2; token <= 4; token++) {
        String again = s.choose(exchange(Map.of("Authorization",
            "Bearer " + jwt("{\"iss\":\"idp\",\"sub\":\"user-" + user + "\",\"iat\":" + token + "}")))).name();
        assertThat(again).as("user-%d's token %d", user, token).isEqualTo(first);
      }
      v2 += first.equals("v2") ? 1 : 0;
    }
    // Different users spread by the weights: 200 of 400 expected, sd 10; 5 sigma.
    assertThat(v2).isBetween(150, 250);
  }

  @Test
  void apiKeysAndBasicUsersAreConsumersToo() {
    SplitHandler s = byConsumer(50, 50);
    int v2 = 0;
    for (int i = 0; i < 400; i++) {
      String byKey = s.choose(exchange(Map.of("X-API-Key", "key-" + i))).name();
      assertThat(s.choose(exchange(Map.of("apikey", "key-" + i))).name()).isEqualTo(byKey);
      String basic = java.util.Base64.getEncoder().encodeToString(("user-" + i + ":pw" + i)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String other = java.util.Base64.getEncoder().encodeToString(("user-" + i + ":changed")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(s.choose(exchange(Map.of("Authorization", "Basic " + other))).name())
          .as("a user keeps its side when its password changes")
          .isEqualTo(s.choose(exchange(Map.of("Authorization", "Basic " + basic))).name());
      v2 += byKey.equals("v2") ? 1 : 0;
    }
    assertThat(v2).isBetween(150, 250);
  }

  @Test
  void anonymousRequestsAreSplitAtRandom() {
    SplitHandler s = byConsumer(50, 50);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 200 && seen.size() < 2; i++) {
      seen.add(s.choose(exchange(Map.of())).name());
    }
    assertThat(seen).containsExactlyInAnyOrder("legacy", "v2");
  }
}
