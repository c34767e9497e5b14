package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.call;
import static dev.ficus.grpc.GrpcFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.http.Json;
import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REST → gRPC for unary methods, every route from the google.api.http annotations of
 * proto/inventory.proto, read as text at run time, against the real grpc-java sample.
 */
class UnaryTranscodingTest {
  @TempDir
  static Path tmp;
  static InventorySample sample;
  static GatewayServer gateway;

  @BeforeAll
  static void start() {
    sample = InventorySample.start("127.0.0.1", 0);
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.write(config, "inventory.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            proto: ../proto/inventory.proto
        """.formatted(sample.target()));
    gateway = GrpcFixture.start(config);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    sample.close();
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  @Test
  void getWithAMultiSegmentVariableReturnsProto3Json() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items/hammer");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode item = json(r);
    assertThat(item.get("name").asText()).isEqualTo("warehouses/main/items/hammer");
    assertThat(item.get("quantity").isTextual()).as("int64 is a JSON string").isTrue();
    assertThat(item.get("quantity").asText()).isEqualTo("10");
    assertThat(item.get("category").asText()).isEqualTo("TOOLS");
    assertThat(item.get("updateTime").asText()).isEqualTo("2026-01-15T10:00:00Z");
    assertThat(item.get("leadTime").asText()).isEqualTo("86400s");
    assertThat(item.get("weightKg").asDouble()).isEqualTo(0.6);
    assertThat(item.get("thumbnail").asText()).isEqualTo("UE5HPw==");
    assertThat(item.get("attributes").get("grip").asText()).isEqualTo("rubber");
    assertThat(item.get("supplier").get("@type").asText()).isEqualTo("type.googleapis.com/inventory.v1.Supplier");
    assertThat(item.get("supplier").get("name").asText()).isEqualTo("Acme");
    assertThat(item.get("stockByLocation").get("A1").asText()).isEqualTo("6");
    assertThat(item.has("note")).as("unset optional field is left out").isFalse();
  }

  @Test
  void queryParametersFillNestedRepeatedEnumAndWellKnownFields() {
    JsonNode r = json(get(gateway, "/v1/warehouses/main/items?filter.category=TOOLS&filter.minQuantity=5"
        + "&filter.updatedAfter=2025-12-31T00:00:00Z&skus=hammer&skus=rake"));
    assertThat(r.get("items")).extracting(i -> i.get("sku").asText()).containsExactly("hammer");
    JsonNode all = json(get(gateway, "/v1/items?skus=hammer&page_size=1"));
    assertThat(all.get("items")).hasSize(1);
    assertThat(all.get("nextPageToken").asText()).isEqualTo("1");
  }

  @Test
  void anAdditionalBindingServesTheSameMethod() {
    JsonNode r = json(get(gateway, "/v1/items?parent=warehouses/east"));
    assertThat(r.get("items")).extracting(i -> i.get("name").asText()).contains("warehouses/east/items/hammer");
  }

  @Test
  void aCustomPatternServesItsOwnHttpMethod() {
    HttpResponse<String> r = GrpcFixture.send(GrpcFixture.request(gateway, "/v1/warehouses/main/items?skus=rake")
        .method("SEARCH", HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("items")).extracting(i -> i.get("sku").asText()).containsExactly("rake");
  }

  @Test
  void unknownQueryParameterIsABadRequestWithASuggestion() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items?pageSise=2");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p = json(r);
    assertThat(p.get("errors").get(0).get("pointer").asText()).isEqualTo("query:pageSise");
    assertThat(p.get("errors").get(0).get("detail").asText()).contains("did you mean 'page_size'?");
  }

  @Test
  void badQueryValuesAreAllReportedAtOnce() {
    JsonNode p = json(get(gateway, "/v1/warehouses/main/items?pageSize=many&filter.category=SPOONS"));
    assertThat(p.get("status").asInt()).isEqualTo(400);
    assertThat(p.get("errors")).extracting(e -> e.get("pointer").asText())
        .containsExactlyInAnyOrder("query:pageSize", "query:filter.category");
  }

  @Test
  void aSingleValuedParameterGivenTwiceIsRefused() {
    JsonNode p = json(get(gateway, "/v1/warehouses/main/items?pageSize=1&pageSize=2"));
    assertThat(p.get("errors").get(0).get("detail").asText()).contains("given 2 times");
  }

  @Test
  void aParameterThePathAlreadyGivesIsRefused() {
    JsonNode p = json(get(gateway, "/v1/warehouses/main/items?parent=warehouses/east"));
    assertThat(p.get("status").asInt()).isEqualTo(400);
    assertThat(p.get("errors").get(0).get("detail").asText()).contains("already given by the path");
  }

  @Test
  void postWithABodyFieldCreatesTheItemWithWellKnownTypesAndAny() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/east/items?itemId=saw", """
        {"title": "Hand saw", "category": "TOOLS", "quantity": "7", "price": {"currencyCode": "EUR", "units": 18},
         "tags": ["wood"], "weightKg": 0.9, "leadTime": "3600s", "attributes": {"teeth": 24, "foldable": false},
         "supplier": {"@type": "type.googleapis.com/inventory.v1.Supplier", "name": "Bahco", "country": "SE"},
         "restockTime": "2026-03-01T08:00:00Z", "thumbnail": "AAE="}
        """);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode item = json(r);
    assertThat(item.get("name").asText()).isEqualTo("warehouses/east/items/saw");
    assertThat(item.get("quantity").asText()).isEqualTo("7");
    assertThat(item.get("supplier").get("name").asText()).isEqualTo("Bahco");
    assertThat(item.get("attributes").get("teeth").asInt()).isEqualTo(24);
    assertThat(item.get("restockTime").asText()).isEqualTo("2026-03-01T08:00:00Z");
    assertThat(json(get(gateway, "/v1/warehouses/east/items/saw")).get("title").asText()).isEqualTo("Hand saw");
  }

  @Test
  void originalProtoFieldNamesAreAcceptedToo() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/east/items", """
        {"sku": "chisel", "title": "Chisel", "weight_kg": 0.2, "lead_time": "60s"}
        """);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("weightKg").asDouble()).isEqualTo(0.2);
  }

  @Test
  void unknownBodyFieldIsABadRequestNamingIt() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/east/items", "{\"sku\":\"x\",\"titel\":\"X\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("detail").asText()).contains("inventory.v1.Item has no field 'titel'; did you mean 'title'?");
  }

  @Test
  void wrongTypedBodyValueIsABadRequest() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/east/items", "{\"sku\":\"x\",\"quantity\":\"lots\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("type").asText()).isEqualTo("urn:ficus:problem:invalid-request");
  }

  @Test
  void malformedOrDuplicatedJsonIsRefusedBeforeTheBackend() {
    sample.clearRecordedCalls();
    HttpResponse<String> bad = call(gateway, "POST", "/v1/warehouses/east/items", "{\"sku\":");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("type").asText()).isEqualTo("urn:ficus:problem:malformed-json");
    HttpResponse<String> dup = call(gateway, "POST", "/v1/warehouses/east/items", "{\"sku\":\"a\",\"sku\":\"b\"}");
    assertThat(dup.statusCode()).isEqualTo(400);
    assertThat(json(dup).get("detail").asText()).contains("Duplicate field 'sku'");
    HttpResponse<String> trailing = call(gateway, "POST", "/v1/warehouses/east/items", "{\"sku\":\"a\"} {}");
    assertThat(trailing.statusCode()).isEqualTo(400);
    assertThat(sample.recordedCalls()).isEmpty();
  }

  @Test
  void bodyMustBeJson() {
    HttpResponse<String> r = GrpcFixture.send(GrpcFixture.request(gateway, "/v1/warehouses/east/items")
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("sku=x")));
    assertThat(r.statusCode()).isEqualTo(415);
  }

  @Test
  void patchBindsANestedFieldFromThePathAndAFieldMaskFromTheQuery() {
    call(gateway, "POST", "/v1/warehouses/main/items", "{\"sku\":\"spade\",\"title\":\"Spade\",\"quantity\":\"4\"}");
    HttpResponse<String> r = call(gateway, "PATCH", "/v1/warehouses/main/items/spade?updateMask=title",
        "{\"title\":\"Garden spade\",\"quantity\":\"99\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode item = json(r);
    assertThat(item.get("title").asText()).isEqualTo("Garden spade");
    assertThat(item.get("quantity").asText()).as("not in the mask").isEqualTo("4");
  }

  @Test
  void putIsAnAdditionalBindingOfUpdate() {
    call(gateway, "POST", "/v1/warehouses/main/items", "{\"sku\":\"hoe\",\"title\":\"Hoe\"}");
    HttpResponse<String> r = call(gateway, "PUT", "/v1/warehouses/main/items/hoe", "{\"title\":\"Dutch hoe\"}");
    assertThat(json(r).get("title").asText()).isEqualTo("Dutch hoe");
    assertThat(json(r).get("name").asText()).isEqualTo("warehouses/main/items/hoe");
  }

  @Test
  void deleteReturnsAnEmptyObject() {
    call(gateway, "POST", "/v1/warehouses/main/items", "{\"sku\":\"bucket\",\"title\":\"Bucket\"}");
    HttpResponse<String> r = call(gateway, "DELETE", "/v1/warehouses/main/items/bucket", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{}");
    assertThat(get(gateway, "/v1/warehouses/main/items/bucket").statusCode()).isEqualTo(404);
  }

  @Test
  void customVerbsShareTheRouteOfThePlainGet() {
    JsonNode stock = json(get(gateway, "/v1/warehouses/main/items/rake:stock"));
    assertThat(stock.get("onHand").asText()).isEqualTo("3");
    assertThat(json(get(gateway, "/v1/warehouses/main/items/rake")).get("sku").asText()).isEqualTo("rake");
  }

  @Test
  void responseBodyReturnsOneScalarField() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items/hammer/quantity");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"10\"");
  }

  @Test
  void bodyStarMergesThePathVariables() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/east/items/hammer:reserve",
        "{\"quantity\":\"2\",\"reservationId\":\"r-1\",\"holdFor\":\"60s\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode res = json(r);
    assertThat(res.get("item").asText()).isEqualTo("warehouses/east/items/hammer");
    assertThat(res.get("expireTime").asText()).isEqualTo("2026-01-15T10:01:00Z");
  }

  @Test
  void withTheWholeBodyAsRequestQueryParametersAreUnknown() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/east/items/hammer:reserve?quantity=1",
        "{\"reservationId\":\"r-2\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("errors").get(0).get("pointer").asText()).isEqualTo("query:quantity");
  }

  @Test
  void httpBodyRepliesAreRawContentWithTheirOwnMediaType() {
    HttpResponse<String> r = get(gateway, "/v1/manuals/tools/hammer.md");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/markdown; charset=utf-8");
    assertThat(r.body()).isEqualTo("# Manual: tools/hammer.md\n");
  }

  @Test
  void httpBodyRequestFieldTakesTheRawBodyAndItsMediaType() {
    HttpResponse<String> put = GrpcFixture.send(GrpcFixture.request(gateway, "/v1/manuals/garden/rake.txt")
        .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("Rake leaves.")));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(json(put).get("bytes").asInt()).isEqualTo(12);
    HttpResponse<String> back = get(gateway, "/v1/manuals/garden/rake.txt");
    assertThat(back.headers().firstValue("content-type")).hasValue("text/plain");
    assertThat(back.body()).isEqualTo("Rake leaves.");
  }

  @Test
  void aPathThatFitsTheRouterButNotTheTemplateIsNotFound() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items/hammer:nosuchverb/x");
    assertThat(r.statusCode()).isEqualTo(404);
  }
}
