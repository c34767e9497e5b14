package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.samples.grpc.RecordedCall;
import dev.ficus.server.GatewayServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request headers become metadata, and response headers and trailers come back, through allow-lists only. */
class GrpcMetadataTest {
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
            metadata:
              forward: [x-tenant, x-request-*]
              return: [x-inventory-version, x-inventory-tenant, x-inventory-served-by]
        """.formatted(sample.target()));
    GrpcFixture.write(config, "via-grpc-java.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            proto: ../proto/inventory.proto
            httpRules: false
            directUnary: false
        operations:
          - route: GET /via-grpc-java/{name=warehouses/*/items/*}
            call: GetItem
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

  private static RecordedCall lastCall() {
    var calls = sample.recordedCalls();
    return calls.get(calls.size() - 1);
  }

  @Test
  void allowedRequestHeadersAreSentAsMetadataAndOthersAreNot() {
    get(gateway, "/v1/warehouses/main/items/hammer", "X-Tenant", "acme", "X-Request-Id", "req-7",
        "X-Secret", "s3cr3t", "Authorization", "Bearer abc");
    RecordedCall c = lastCall();
    assertThat(c.method()).isEqualTo("inventory.v1.Inventory/GetItem");
    assertThat(c.header("x-tenant")).isEqualTo("acme");
    assertThat(c.header("x-request-id")).isEqualTo("req-7");
    assertThat(c.metadata()).doesNotContainKeys("x-secret", "authorization");
  }

  @Test
  void unaryCallsToAPlainHostPortGoOverTheDirectClientAndStreamsOverGrpcJava() {
    get(gateway, "/v1/warehouses/main/items/hammer");
    // DirectUnaryClient sends "ficus"; grpc-java's channel adds its own name and version.
    assertThat(lastCall().header("user-agent")).isEqualTo("ficus");
    GrpcFixture.send(GrpcFixture.request(gateway, "/v1/warehouses/main/items/hammer:watch?count=1")
        .header("Accept", "application/x-ndjson").GET());
    assertThat(lastCall().method()).isEqualTo("inventory.v1.Inventory/WatchStock");
    assertThat(lastCall().header("user-agent")).startsWith("ficus grpc-java");
    // directUnary: false sends unary calls through grpc-java's channel too.
    assertThat(get(gateway, "/via-grpc-java/warehouses/main/items/hammer").statusCode()).isEqualTo(200);
    assertThat(lastCall().method()).isEqualTo("inventory.v1.Inventory/GetItem");
    assertThat(lastCall().header("user-agent")).startsWith("ficus grpc-java");
  }

  @Test
  void traceContextIsAlwaysPropagated() {
    String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    get(gateway, "/v1/warehouses/main/items/hammer", "traceparent", tp, "tracestate", "ficus=1");
    assertThat(lastCall().header("traceparent")).isEqualTo(tp);
    assertThat(lastCall().header("tracestate")).isEqualTo("ficus=1");
  }

  @Test
  void allowedResponseHeadersAndTrailersComeBackAndOthersDoNot() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items/hammer", "X-Tenant", "acme");
    assertThat(r.headers().firstValue("x-inventory-version")).hasValue("2026.1");
    assertThat(r.headers().firstValue("x-inventory-tenant")).hasValue("acme");
    assertThat(r.headers().firstValue("x-inventory-served-by")).as("a trailer").hasValue("sample");
    assertThat(r.headers().firstValue("x-internal-token")).isEmpty();
  }

  @Test
  void allowedHeadersComeBackOnErrorsToo() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items/anvil");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("x-inventory-served-by")).hasValue("sample");
  }
}
