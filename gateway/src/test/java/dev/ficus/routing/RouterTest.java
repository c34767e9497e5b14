package dev.ficus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static Router<String> router(String... routes) {
    Router.Builder<String> b = new Router.Builder<>();
    for (String r : routes) {
      String[] mp = r.split(" ");
      assertThat(b.add(mp[0], PathTemplate.parse(mp[1]), r, "owner of " + r)).as("conflict adding %s", r).isNull();
    }
    return b.build();
  }

  private static Router.Found<String> found(Router.Result<String> r) {
    assertThat(r).isInstanceOf(Router.Found.class);
    return (Router.Found<String>) r;
  }

  @Test
  void aPathThatARoutesFilterRefusesGoesOnToTheLessSpecificRoutes() {
    Router.Builder<String> b = new Router.Builder<>();
    b.add(Set.of("POST"), PathTemplate.parse("/v1/projects/*/topics/*"), Router.Conditions.NONE, 0,
        path -> path.endsWith(":publish"), "publish", "publish");
    b.add(Set.of("POST"), PathTemplate.parse("/v1/**"), Router.Conditions.NONE, 0, "iam", "iam");
    Router<String> r = b.build();

    assertThat(found(r.lookup("POST", "/v1/projects/p/topics/t:publish")).target()).isEqualTo("publish");
    assertThat(found(r.lookup("POST", "/v1/projects/p/topics/t:getIamPolicy")).target()).isEqualTo("iam");
  }

  @Test
  void aRouteWhoseFilterRefusesThePathDoesNotCountForMethodNotAllowed() {
    Router.Builder<String> b = new Router.Builder<>();
    b.add(Set.of("GET"), PathTemplate.parse("/v1/items/*"), Router.Conditions.NONE, 0,
        path -> path.endsWith(":stock"), "stock", "stock");
    b.add(Set.of("DELETE"), PathTemplate.parse("/v1/items/*"), Router.Conditions.NONE, 0, "delete", "delete");

    assertThat(b.build().lookup("POST", "/v1/items/x")).isEqualTo(new Router.MethodNotAllowed<String>(
        java.util.List.of("DELETE")));
  }

  @Test
  void literalRouteIsFound() {
    Router<String> r = router("GET /api/customers", "POST /api/customers");

    assertThat(found(r.lookup("GET", "/api/customers")).target()).isEqualTo("GET /api/customers");
    assertThat(found(r.lookup("POST", "/api/customers")).target()).isEqualTo("POST /api/customers");
  }

  @Test
  void variablesAreCapturedByName() {
    Router<String> r = router("GET /api/customers/{id}/visits/{visitId}");

    Router.Found<String> f = found(r.lookup("GET", "/api/customers/42/visits/v-7"));

    assertThat(f.variable("id")).isEqualTo("42");
    assertThat(f.variable("visitId")).isEqualTo("v-7");
    assertThat(f.variable("other")).isNull();
    assertThat(f.names()).containsExactly("id", "visitId");
    assertThat(f.values()).containsExactly("42", "v-7");
  }

  @Test
  void literalSegmentBeatsAVariable() {
    Router<String> r = router("GET /api/customers/{id}", "GET /api/customers/search");

    assertThat(found(r.lookup("GET", "/api/customers/search")).target()).isEqualTo("GET /api/customers/search");
    assertThat(found(r.lookup("GET", "/api/customers/7")).target()).isEqualTo("GET /api/customers/{id}");
  }

  @Test
  void literalBranchThatDeadEndsFallsBackToTheVariable() {
    Router<String> r = router("GET /a/b/c", "GET /a/{x}/d");

    Router.Found<String> f = found(r.lookup("GET", "/a/b/d"));

    assertThat(f.target()).isEqualTo("GET /a/{x}/d");
    assertThat(f.variable("x")).isEqualTo("b");
  }

  @Test
  void capturesOfAnAbandonedBranchDoNotLeak() {
    Router<String> r = router("GET /{a}/x/{b}", "GET /{c}/y/z");

    Router.Found<String> f = found(r.lookup("GET", "/1/y/z"));

    assertThat(f.target()).isEqualTo("GET /{c}/y/z");
    assertThat(f.values()).containsExactly("1");
  }

  @Test
  void unknownPathIsNotFound() {
    Router<String> r = router("GET /api/customers/{id}");

    assertThat(r.lookup("GET", "/api/orders/1")).isInstanceOf(Router.NotFound.class);
    assertThat(r.lookup("GET", "/api/customers")).isInstanceOf(Router.NotFound.class);
    assertThat(r.lookup("GET", "/api/customers/1/more")).isInstanceOf(Router.NotFound.class);
    assertThat(r.lookup("GET", "/")).isInstanceOf(Router.NotFound.class);
  }

  @Test
  void variableDoesNotMatchAnEmptySegment() {
    Router<String> r = router("GET /a/{id}/b");

    assertThat(r.lookup("GET", "/a//b")).isInstanceOf(Router.NotFound.class);
  }

  @Test
  void knownPathWithAnotherMethodIs405ListingTheAllowedMethods() {
    Router<String> r = router("GET /api/customers/{id}", "PUT /api/customers/{id}", "DELETE /api/customers/{id}",
        "POST /api/customers");

    Router.Result<String> res = r.lookup("PATCH", "/api/customers/1");

    assertThat(res).isInstanceOf(Router.MethodNotAllowed.class);
    assertThat(((Router.MethodNotAllowed<String>) res).allow()).containsExactly("DELETE", "GET", "PUT");
  }

  @Test
  void headFallsBackToGet() {
    Router<String> r = router("GET /a/{id}");

    Router.Found<String> f = found(r.lookup("HEAD", "/a/1"));

    assertThat(f.target()).isEqualTo("GET /a/{id}");
    assertThat(f.variable("id")).isEqualTo("1");
  }

  @Test
  void explicitHeadRouteWinsOverGet() {
    Router<String> r = router("GET /a", "HEAD /a");

    assertThat(found(r.lookup("HEAD", "/a")).target()).isEqualTo("HEAD /a");
  }

  @Test
  void headWithoutGetIs405() {
    Router<String> r = router("POST /a");

    assertThat(r.lookup("HEAD", "/a")).isInstanceOf(Router.MethodNotAllowed.class);
  }

  @Test
  void trailingSlashMatchesTheSameRoute() {
    Router<String> r = router("GET /api/customers/{id}", "GET /api/items/");

    assertThat(found(r.lookup("GET", "/api/customers/5/")).variable("id")).isEqualTo("5");
    assertThat(found(r.lookup("GET", "/api/items")).target()).isEqualTo("GET /api/items/");
  }

  @Test
  void rootRouteMatchesTheRoot() {
    Router<String> r = router("GET /");

    assertThat(found(r.lookup("GET", "/")).target()).isEqualTo("GET /");
    assertThat(found(r.lookup("GET", "")).target()).isEqualTo("GET /");
  }

  @Test
  void sameMethodAndShapeConflictNamingTheFirstOwner() {
    Router.Builder<String> b = new Router.Builder<>();
    assertThat(b.add("GET", PathTemplate.parse("/a/{id}"), "first", "customers.yaml:3:5")).isNull();

    assertThat(b.add("GET", PathTemplate.parse("/a/{key}"), "second", "orders.yaml:9:5")).isEqualTo("customers.yaml:3:5");
    assertThat(b.add("GET", PathTemplate.parse("/a/{x}/"), "third", "x.yaml:1:1")).isEqualTo("customers.yaml:3:5");
    assertThat(found(b.build().lookup("GET", "/a/1")).target()).isEqualTo("first");
  }

  @Test
  void sameShapeWithAnotherMethodIsNoConflict() {
    Router.Builder<String> b = new Router.Builder<>();
    assertThat(b.add("GET", PathTemplate.parse("/a/{id}"), "get", "1")).isNull();

    assertThat(b.add("DELETE", PathTemplate.parse("/a/{key}"), "delete", "2")).isNull();
  }

  @Test
  void literalAndVariableAtTheSamePlaceIsNoConflict() {
    Router.Builder<String> b = new Router.Builder<>();
    assertThat(b.add("GET", PathTemplate.parse("/a/{id}"), "var", "1")).isNull();

    assertThat(b.add("GET", PathTemplate.parse("/a/me"), "lit", "2")).isNull();
  }
}
