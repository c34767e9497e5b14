package dev.ficus.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.config.Specs.SourceKind;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import dev.ficus.http.Json;
import dev.ficus.xml.SchemaCompiler;
import dev.ficus.xml.SimpleKind;
import dev.ficus.xml.XsdSimpleType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestPlanTest {
  private static final XsdSimpleType INT = SchemaCompiler.builtin("int");
  private static final XsdSimpleType LONG = SchemaCompiler.builtin("long");
  private static final XsdSimpleType DECIMAL = SchemaCompiler.builtin("decimal");
  private static final XsdSimpleType DOUBLE = SchemaCompiler.builtin("double");
  private static final XsdSimpleType BOOLEAN = SchemaCompiler.builtin("boolean");
  private static final XsdSimpleType STRING = SchemaCompiler.builtin("string");
  private static final XsdSimpleType INT_LIST = new XsdSimpleType(SimpleKind.STRING, "list", "IntList", null, INT);

  /** The parts of one HTTP request. */
  private static final class Request implements RequestPlan.Inputs {
    final Map<String, String> path = new HashMap<>();
    final Map<String, Deque<String>> query = new HashMap<>();
    final Map<String, List<String>> headers = new HashMap<>();

    Request path(String name, String value) {
      path.put(name, value);
      return this;
    }

    Request query(String name, String... values) {
      query.put(name, new ArrayDeque<>(List.of(values)));
      return this;
    }

    Request header(String name, String... values) {
      headers.put(name, List.of(values));
      return this;
    }

    @Override
    public String path(String name) {
      return path.get(name);
    }

    @Override
    public Deque<String> query(String name) {
      return query.get(name);
    }

    @Override
    public List<String> header(String lowerCaseName) {
      return headers.get(lowerCaseName);
    }
  }

  private static RequestPlan.Step step(String target, SourceKind source, String name, XsdSimpleType type,
      boolean array) {
    return new RequestPlan.Step(List.of(target.split("\\.")), source, List.of(name), type, array, false);
  }

  private static String build(RequestPlan plan, String body, Request in) throws Exception {
    JsonNode b = body == null ? null : Json.MAPPER.readTree(body);
    return Json.MAPPER.writeValueAsString(plan.build(b, in));
  }

  private static GatewayError failure(RequestPlan plan, Request in) {
    try {
      plan.build(null, in);
    } catch (GatewayException e) {
      return e.error();
    }
    throw new AssertionError("expected a 400");
  }

  @Test
  void pathVariableBecomesANumberForANumericElement() throws Exception {
    RequestPlan plan = new RequestPlan(false, List.of(step("customerId", SourceKind.PATH, "id", LONG, false)));

    assertThat(build(plan, null, new Request().path("id", "42"))).isEqualTo("{\"customerId\":42}");
  }

  @Test
  void queryValuesAreConvertedByTheirTypes() throws Exception {
    RequestPlan plan = new RequestPlan(false, List.of(
        step("limit", SourceKind.QUERY, "limit", INT, false),
        step("active", SourceKind.QUERY, "active", BOOLEAN, false),
        step("min", SourceKind.QUERY, "min", DECIMAL, false),
        step("ratio", SourceKind.QUERY, "ratio", DOUBLE, false),
        step("name", SourceKind.QUERY, "name", STRING, false)));

    assertThat(build(plan, null, new Request().query("limit", "10").query("active", "true")
        .query("min", "0.10000000000000000001").query("ratio", "2.5").query("name", "007")))
        .isEqualTo("{\"limit\":10,\"active\":true,\"min\":0.10000000000000000001,\"ratio\":2.5,\"name\":\"007\"}");
  }

  @Test
  void absentParametersLeaveTheirElementsOut() throws Exception {
    RequestPlan plan = new RequestPlan(false, List.of(step("limit", SourceKind.QUERY, "limit", INT, false)));

    assertThat(build(plan, null, new Request())).isEqualTo("{}");
  }

  @Test
  void badNumberIsA400WithAPointerToTheParameter() {
    RequestPlan plan = new RequestPlan(false, List.of(step("maxResults", SourceKind.QUERY, "limit", INT, false)));

    GatewayError e = failure(plan, new Request().query("limit", "ten"));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo(GatewayError.Code.INVALID_REQUEST);
    assertThat(e.errors()).singleElement().satisfies(fe -> {
      assertThat(fe.pointer()).isEqualTo("query:limit");
      assertThat(fe.detail()).isEqualTo("expected xs:int (a whole number from -2147483648 to 2147483647), got 'ten'");
    });
    assertThat(e.detail()).isEqualTo("Invalid query limit: expected xs:int (a whole number from -2147483648 to "
        + "2147483647), got 'ten'");
  }

  @Test
  void numberOutOfTheElementTypesRangeIsA400AtTheParameter() {
    RequestPlan plan = new RequestPlan(false, List.of(step("maxResults", SourceKind.QUERY, "limit", INT, false)));

    GatewayError e = failure(plan, new Request().query("limit", "99999999999"));

    assertThat(e.errors()).singleElement().satisfies(fe -> assertThat(fe.pointer()).isEqualTo("query:limit"));
  }

  @Test
  void valueOutsideTheElementTypesEnumerationIsA400AtTheParameter() {
    XsdSimpleType status = new XsdSimpleType(SimpleKind.STRING, "string", "CustomerStatus",
        java.util.Set.of("ACTIVE", "SUSPENDED", "CLOSED"), null);
    RequestPlan plan = new RequestPlan(false, List.of(step("status", SourceKind.QUERY, "status", status, false)));

    GatewayError e = failure(plan, new Request().query("status", "active"));

    assertThat(e.errors()).singleElement().satisfies(fe -> assertThat(fe.pointer()).isEqualTo("query:status"));
  }

  @Test
  void badBooleanAndBadPathValueAreAllReported() {
    RequestPlan plan = new RequestPlan(false, List.of(
        step("id", SourceKind.PATH, "id", LONG, false),
        step("active", SourceKind.QUERY, "active", BOOLEAN, false),
        step("n", SourceKind.HEADER, "x-n", DECIMAL, false)));

    GatewayError e = failure(plan, new Request().path("id", "abc").query("active", "yes").header("x-n", "1,5"));

    assertThat(e.detail()).isEqualTo("Invalid request parameters");
    assertThat(e.errors()).extracting(GatewayError.FieldError::pointer)
        .containsExactly("path:id", "query:active", "header:x-n");
  }

  @Test
  void repeatedQueryParameterFillsAnArray() throws Exception {
    RequestPlan plan = new RequestPlan(false, List.of(step("id", SourceKind.QUERY, "id", INT, true)));

    assertThat(build(plan, null, new Request().query("id", "3", "1", "2"))).isEqualTo("{\"id\":[3,1,2]}");
    assertThat(build(plan, null, new Request().query("id", "3"))).isEqualTo("{\"id\":[3]}");
  }

  @Test
  void repeatedQueryParameterForASingleElementIsA400() {
    RequestPlan plan = new RequestPlan(false, List.of(step("id", SourceKind.QUERY, "id", INT, false)));

    GatewayError e = failure(plan, new Request().query("id", "1", "2"));

    assertThat(e.errors()).singleElement().satisfies(fe -> {
      assertThat(fe.pointer()).isEqualTo("query:id");
      assertThat(fe.detail()).isEqualTo("given 2 times; it takes one value");
    });
  }

  @Test
  void badItemOfARepeatedParameterIsReported() {
    RequestPlan plan = new RequestPlan(false, List.of(step("id", SourceKind.QUERY, "id", INT, true)));

    assertThat(failure(plan, new Request().query("id", "1", "x")).errors()).extracting(GatewayError.FieldError::detail)
        .containsExactly("expected xs:int (a whole number from -2147483648 to 2147483647), got 'x'");
  }

  @Test
  void listTypeParameterIsSplitOnSpacesAndCommas() throws Exception {
    RequestPlan plan = new RequestPlan(false, List.of(step("numbers", SourceKind.QUERY, "n", INT_LIST, false)));

    assertThat(build(plan, null, new Request().query("n", "1, 2 3"))).isEqualTo("{\"numbers\":[1,2,3]}");
  }

  @Test
  void headerValueFillsANestedTarget() throws Exception {
    RequestPlan plan = new RequestPlan(false, List.of(step("auth.token", SourceKind.HEADER, "x-token", STRING, false)));

    assertThat(build(plan, null, new Request().header("x-token", "s3cret"))).isEqualTo("{\"auth\":{\"token\":\"s3cret\"}}");
  }

  @Test
  void bodyAtTheRootIsMergedWithPathValues() throws Exception {
    RequestPlan plan = new RequestPlan(true, List.of(step("customerId", SourceKind.PATH, "id", LONG, false)));

    assertThat(plan.usesBody()).isTrue();
    assertThat(build(plan, "{\"channel\": \"web\", \"customerId\": 1}", new Request().path("id", "7")))
        .isEqualTo("{\"channel\":\"web\",\"customerId\":7}");
  }

  @Test
  void missingBodyAtTheRootIsAnEmptyObject() throws Exception {
    RequestPlan plan = new RequestPlan(true, List.of());

    assertThat(build(plan, null, new Request())).isEqualTo("{}");
  }

  @Test
  void bodyThatIsNotAnObjectIsA400() {
    RequestPlan plan = new RequestPlan(true, List.of());

    assertThatThrownBy(() -> plan.build(Json.MAPPER.readTree("[1]"), new Request()))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().status()).isEqualTo(400));
  }

  @Test
  void bodyMemberCanFillAnElement() throws Exception {
    RequestPlan plan = new RequestPlan(false, List.of(
        new RequestPlan.Step(List.of("address"), SourceKind.BODY, List.of("home", "address"), null, false, false)));

    assertThat(plan.usesBody()).isTrue();
    assertThat(build(plan, "{\"home\": {\"address\": {\"city\": \"Oslo\"}}}", new Request()))
        .isEqualTo("{\"address\":{\"city\":\"Oslo\"}}");
  }

  @Test
  void planWithoutBodySourcesDoesNotReadTheBody() {
    assertThat(new RequestPlan(false, List.of(step("a", SourceKind.QUERY, "a", INT, false))).usesBody()).isFalse();
  }
}
