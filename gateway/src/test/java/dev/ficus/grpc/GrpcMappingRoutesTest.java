package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.call;
import static dev.ficus.grpc.GrpcFixture.get;
import static dev.ficus.grpc.UnaryTranscodingTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.server.GatewayServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes declared in the mapping file next to the proto's rules: new routes with their own
 * bindings (path, query, header), a route that overrides a proto rule, the opt-in
 * POST /{package.Service}/{Method} routes, and the mapping's proto3 JSON options.
 */
class GrpcMappingRoutesTest {
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
            target: ${INVENTORY_GRPC}
            proto: ../proto/inventory.proto
            rpcRoutes: true
            json:
              emitDefaults: true
              enumsAsNumbers: true
              originalNames: true
        options:
          unknownFields: ignore
        operations:
          - route: GET /api/stock/{name=warehouses/*/items/*}
            call: inventory.v1.Inventory/GetStock
            response:
              select: on_hand
          - route: POST /api/reservations/{item}
            call: ReserveStock
            request:
              name: path.item
              quantity: query.qty
              reservation_id: header.x-reservation-id
          - route: GET /v1/{name=warehouses/*/items/*}/quantity
            call: GetStock
            response:
              select: reserved
          - route: GET /api/stats
            call: Stats
            request:
              warehouse: query.w
        """);
    gateway = GrpcFixture.start(config, java.util.Map.of("INVENTORY_GRPC", sample.target()));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    sample.close();
  }

  @Test
  void aMappingRouteWithAGoogleTemplateAndASelectedField() {
    HttpResponse<String> r = get(gateway, "/api/stock/warehouses/main/items/rake");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"3\"");
  }

  @Test
  void pathQueryAndHeaderBindingsFillTheRequestWithoutABody() {
    HttpResponse<String> r = GrpcFixture.send(GrpcFixture.request(gateway,
            "/api/reservations/warehouses%2Fmain%2Fitems%2Fhammer?qty=2")
        .header("X-Reservation-Id", "from-header").POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode res = json(r);
    assertThat(res.get("reservation_id").asText()).isEqualTo("from-header");
    assertThat(res.get("item").asText()).isEqualTo("warehouses/main/items/hammer");
    assertThat(res.get("quantity").asText()).isEqualTo("2");
  }

  @Test
  void aMappingRouteOverridesTheProtoRuleOnTheSamePath() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/east/items/hammer/quantity");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).as("reserved, not the proto's on_hand (5)").isEqualTo("\"0\"");
  }

  @Test
  void theOtherProtoRulesStayWithTheMappingsJsonOptions() {
    JsonNode item = json(get(gateway, "/v1/warehouses/main/items/kettle"));
    assertThat(item.get("category").asInt()).as("enum as number").isEqualTo(3);
    assertThat(item.has("update_time")).as("original field names").isTrue();
    assertThat(item.get("tags").isArray()).as("defaults emitted").isTrue();
    assertThat(item.get("quantity").asText()).isEqualTo("0");
  }

  @Test
  void unknownFieldsAreIgnoredWhenTheMappingSaysSo() {
    assertThat(get(gateway, "/v1/warehouses/main/items/hammer?cacheBuster=123").statusCode()).isEqualTo(200);
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/main/items",
        "{\"sku\":\"broom\",\"title\":\"Broom\",\"colour\":\"red\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void rpcRoutesServeUnannotatedMethodsAtPackageServiceMethod() {
    HttpResponse<String> r = call(gateway, "POST", "/inventory.v1.Inventory/Stats", "{\"warehouse\":\"east\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode stats = json(r);
    assertThat(stats.get("warehouse").asText()).isEqualTo("east");
    assertThat(stats.get("items").asInt()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aQueryBindingFillsAnUnannotatedMethod() {
    JsonNode stats = json(get(gateway, "/api/stats?w=main"));
    assertThat(stats.get("warehouse").asText()).isEqualTo("main");
  }
}
