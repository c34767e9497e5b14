package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.call;
import static dev.ficus.grpc.GrpcFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's mappings/inventory.yaml, as shipped, in front of the gRPC sample. */
class DemoInventoryMappingTest {
  @TempDir
  Path tmp;

  @Test
  void theDemoMappingServesTheProtoRulesAndItsOwnRoutes() throws IOException {
    Path config = GrpcFixture.workspace(tmp);
    Files.copy(GrpcFixture.repository().resolve("mappings/inventory.yaml"), config.resolve("inventory.yaml"));
    try (InventorySample sample = InventorySample.start("127.0.0.1", 0);
        GatewayServer gw = GrpcFixture.start(config, Map.of("INVENTORY_GRPC", sample.target()))) {
      HttpResponse<String> item = get(gw, "/v1/warehouses/main/items/hammer", "X-Tenant", "acme");
      assertThat(item.statusCode()).isEqualTo(200);
      assertThat(item.headers().firstValue("x-inventory-version")).hasValue("2026.1");
      assertThat(sample.recordedCalls().get(sample.recordedCalls().size() - 1).header("x-tenant")).isEqualTo("acme");
      assertThat(get(gw, "/api/stock/warehouses/main/items/hammer").body()).isEqualTo("\"10\"");
      assertThat(get(gw, "/api/inventory/stats?warehouse=east").body()).contains("\"warehouse\":\"east\"");
      HttpResponse<String> tooMany = call(gw, "POST", "/v1/warehouses/main/items/kettle:reserve", "{\"quantity\":\"1\"}");
      assertThat(tooMany.statusCode()).as("the mapping's override of the proto rule").isEqualTo(409);
    }
  }
}
