package dev.ficus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterPrecedenceTest {
  private static Router.RequestView view(String host, Map<String, String> headers, Map<String, String> query) {
    return new Router.RequestView() {
      @Override
      public String host() {
        return host;
      }

      @Override
      public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
      }

      @Override
      public String query(String name) {
        return query.get(name);
      }
    };
  }

  private static Router<String> table() {
    Router.Builder<String> b = new Router.Builder<>();
    b.add(Set.of(), PathTemplate.parse("/**"), Router.Conditions.NONE, 1, "catch-all", "a");
    b.add(Set.of(), PathTemplate.parse("/api/**"), Router.Conditions.NONE, 1, "api", "b");
    b.add(Set.of("GET"), PathTemplate.parse("/api/customers/{id}"), Router.Conditions.NONE, 0, "mapping-get", "c");
    b.add(Set.of(), PathTemplate.parse("/api/customers/{id}"), Router.Conditions.NONE, 1, "rule", "d");
    b.add(Set.of(), PathTemplate.parse("/api/customers/{id}"),
        new Router.Conditions(null, Map.of("x-beta", "1"), Map.of()), 1, "beta", "e");
    b.add(Set.of("POST"), PathTemplate.parse("/api/orders/*"), Router.Conditions.NONE, 1, "orders-post", "f");
    b.add(Set.of(), PathTemplate.parse("/api/orders/new"), Router.Conditions.NONE, 1, "orders-new", "g");
    b.add(Set.of(), PathTemplate.parse("/shop/**"), new Router.Conditions("*.example.com", Map.of(), Map.of()), 1,
        "shop-host", "h");
    b.add(Set.of(), PathTemplate.parse("/shop/**"), new Router.Conditions(null, Map.of(), Map.of("v", "2")), 1,
        "shop-v2", "i");
    return b.build();
  }

  private static String target(Router<String> r, String method, String path, Router.RequestView v) {
    Router.Result<String> res = r.lookup(method, path, v);
    return res instanceof Router.Found<String> f ? f.target() : res.getClass().getSimpleName();
  }

  @Test
  void catchAllTakesWhatNothingElseMatches() {
    assertThat(target(table(), "GET", "/legacy/reports/2026/11.csv", Router.RequestView.NONE)).isEqualTo("catch-all");
    assertThat(target(table(), "DELETE", "/", Router.RequestView.NONE)).isEqualTo("catch-all");
  }

  @Test
  void longerLiteralPrefixBeatsShorterWildcard() {
    assertThat(target(table(), "GET", "/api/anything/deep", Router.RequestView.NONE)).isEqualTo("api");
    assertThat(target(table(), "GET", "/api", Router.RequestView.NONE)).isEqualTo("api");
  }

  @Test
  void routeTableRuleWrapsTheMappingOperationOnTheSamePath() {
    assertThat(target(table(), "GET", "/api/customers/7", Router.RequestView.NONE)).isEqualTo("rule");
  }

  @Test
  void aRuleWithAHeaderConditionWinsWhenTheHeaderMatches() {
    assertThat(target(table(), "GET", "/api/customers/7", view(null, Map.of("x-beta", "1"), Map.of())))
        .isEqualTo("beta");
    assertThat(target(table(), "GET", "/api/customers/7", view(null, Map.of("x-beta", "0"), Map.of())))
        .isEqualTo("rule");
  }

  @Test
  void literalSegmentBeatsStar() {
    assertThat(target(table(), "POST", "/api/orders/new", Router.RequestView.NONE)).isEqualTo("orders-new");
    assertThat(target(table(), "POST", "/api/orders/42", Router.RequestView.NONE)).isEqualTo("orders-post");
  }

  @Test
  void aMethodMismatchFallsBackToALessSpecificRouteBefore405() {
    assertThat(target(table(), "GET", "/api/orders/42", Router.RequestView.NONE)).isEqualTo("api");
  }

  @Test
  void methodNotAllowedListsTheMethodsOfThePathWhenNothingElseMatches() {
    Router.Builder<String> b = new Router.Builder<>();
    b.add("GET", PathTemplate.parse("/a/{id}"), "get", "x");
    b.add("PUT", PathTemplate.parse("/a/{id}"), "put", "y");
    Router.Result<String> r = b.build().lookup("DELETE", "/a/1");
    assertThat(r).isInstanceOf(Router.MethodNotAllowed.class);
    assertThat(((Router.MethodNotAllowed<String>) r).allow()).containsExactly("GET", "PUT");
  }

  @Test
  void hostAndQueryConditionsSelectRoutes() {
    assertThat(target(table(), "GET", "/shop/cart", view("www.example.com:8080", Map.of(), Map.of())))
        .isEqualTo("shop-host");
    assertThat(target(table(), "GET", "/shop/cart", view("other.org", Map.of(), Map.of("v", "2"))))
        .isEqualTo("shop-v2");
    assertThat(target(table(), "GET", "/shop/cart", view("other.org", Map.of(), Map.of()))).isEqualTo("catch-all");
  }

  @Test
  void sameShapeSameConditionsIsAConflict() {
    Router.Builder<String> b = new Router.Builder<>();
    assertThat(b.add(Set.of(), PathTemplate.parse("/x/{a}"), Router.Conditions.NONE, 1, "1", "first")).isNull();
    assertThat(b.add(Set.of(), PathTemplate.parse("/x/{b}"), Router.Conditions.NONE, 1, "2", "second"))
        .isEqualTo("first");
  }

  @Test
  void namedVariablesAreCapturedAroundWildcards() {
    Router.Builder<String> b = new Router.Builder<>();
    b.add(Set.of(), PathTemplate.parse("/t/{tenant}/*/items/{item}"), Router.Conditions.NONE, 1, "t", "o");
    Router.Found<String> f = (Router.Found<String>) b.build().lookup("GET", "/t/acme/v1/items/9");
    assertThat(f.variable("tenant")).isEqualTo("acme");
    assertThat(f.variable("item")).isEqualTo("9");
    assertThat(f.names()).isEqualTo(List.of("tenant", "item"));
  }

  @Test
  void lookupOfTenThousandRoutesStillFindsTheRightOne() {
    Router.Builder<String> b = new Router.Builder<>();
    for (int i = 0; i < 10_000; i++) {
      b.add("GET", PathTemplate.parse("/svc" + i + "/items/{id}"), "r" + i, "o" + i);
    }
    Router<String> r = b.build();
    assertThat(((Router.Found<String>) r.lookup("GET", "/svc9876/items/5")).target()).isEqualTo("r9876");
    assertThat(r.lookup("GET", "/svc10000/items/5")).isInstanceOf(Router.NotFound.class);
  }

  @Test
  void doubleStarMustBeLast() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PathTemplate.parse("/a/**/b"))
        .hasMessageContaining("last segment");
  }
}
