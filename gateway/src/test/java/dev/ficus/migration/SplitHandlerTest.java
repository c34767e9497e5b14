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
}
