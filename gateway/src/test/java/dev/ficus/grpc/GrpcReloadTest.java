package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload reads the .proto again: a changed rule is served without a restart; a broken proto keeps the old one. */
class GrpcReloadTest {
  @TempDir
  Path tmp;

  @Test
  void aChangedProtoIsPickedUpByAReloadAndABrokenOneIsRefused() throws IOException {
    Path config = GrpcFixture.workspace(tmp);
    Path proto = tmp.resolve("proto/inventory.proto");
    try (InventorySample sample = InventorySample.start("127.0.0.1", 0)) {
      GrpcFixture.write(config, "inventory.yaml", """
          ficus: mapping/v1
          backend:
            grpc:
              target: %s
              proto: ../proto/inventory.proto
          """.formatted(sample.target()));
      try (GatewayServer gw = GrpcFixture.start(config)) {
        assertThat(get(gw, "/v1/warehouses/main/items/hammer").statusCode()).isEqualTo(200);
        assertThat(get(gw, "/v2/items/warehouses/main/items/hammer").statusCode()).isEqualTo(404);

        String text = Files.readString(proto, StandardCharsets.UTF_8);
        Files.writeString(proto, text.replace("get: \"/v1/{name=warehouses/*/items/*}\"\n",
            "get: \"/v2/items/{name=warehouses/*/items/*}\"\n"), StandardCharsets.UTF_8);
        assertThat(gw.reload()).isEmpty();
        assertThat(get(gw, "/v2/items/warehouses/main/items/hammer").statusCode()).isEqualTo(200);
        assertThat(get(gw, "/v1/warehouses/main/items/hammer").statusCode())
            .as("no GET any more; UpdateItem's PATCH and PUT still take the path").isEqualTo(405);

        Files.writeString(proto, "syntax = \"proto3\";\nservice {", StandardCharsets.UTF_8);
        assertThat(gw.reload()).singleElement().asString().startsWith("inventory.yaml:5:5: ");
        assertThat(get(gw, "/v2/items/warehouses/main/items/hammer").statusCode()).as("the running config stays")
            .isEqualTo(200);
      }
    }
  }
}
