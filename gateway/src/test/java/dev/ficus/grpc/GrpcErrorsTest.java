package dev.ficus.grpc;

import static dev.ficus.grpc.GrpcFixture.call;
import static dev.ficus.grpc.GrpcFixture.get;
import static dev.ficus.grpc.UnaryTranscodingTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC statuses become problem+json with the google/rpc/code.proto HTTP status, the status
 * details rendered inside, per-operation overrides, and transport failures as 503/504.
 */
class GrpcErrorsTest {
  @TempDir
  static Path tmp;
  static InventorySample sample;
  static GatewayServer gateway;
  /** A real grpc-java server whose GetItem answers bytes that are not an Item. */
  static io.grpc.Server garbage;

  @BeforeAll
  static void start() throws IOException {
    sample = InventorySample.start("127.0.0.1", 0);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.write(config, "inventory.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            proto: ../proto/inventory.proto
        operations:
          - route: GET /api/items/{name=warehouses/*/items/*}
            call: GetItem
            timeout: 300ms
            faults:
              NOT_FOUND: 410
              PERMISSION_DENIED: 404
        """.formatted(sample.target()));
    GrpcFixture.write(config, "down.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:%d
            proto: ../proto/inventory.proto
            httpRules: false
        operations:
          - route: GET /down/{name=warehouses/*/items/*}
            call: inventory.v1.Inventory/GetItem
        """.formatted(closedPort));
    GrpcFixture.write(config, "tls.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            proto: ../proto/inventory.proto
            httpRules: false
            tls: true
        operations:
          - route: GET /tls/{name=warehouses/*/items/*}
            call: GetItem
        """.formatted(sample.target()));
    // GetItem's reply: field 1 (name, a string) with a length past the end of the message.
    io.grpc.MethodDescriptor.Marshaller<byte[]> raw = GrpcMappingCompiler.ReplyBytes.INSTANCE;
    garbage = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
        .addService(io.grpc.ServerServiceDefinition.builder("inventory.v1.Inventory")
            .addMethod(io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder(raw, raw)
                    .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName("inventory.v1.Inventory/GetItem").build(),
                io.grpc.stub.ServerCalls.asyncUnaryCall((byte[] request, io.grpc.stub.StreamObserver<byte[]> out) -> {
                  out.onNext(new byte[] {0x0a, 0x7f, 'x'});
                  out.onCompleted();
                }))
            .build())
        .build().start();
    GrpcFixture.write(config, "garbage.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:%d
            proto: ../proto/inventory.proto
            httpRules: false
        operations:
          - route: GET /garbage/{name=warehouses/*/items/*}
            call: GetItem
        """.formatted(garbage.getPort()));
    gateway = GrpcFixture.start(config);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    sample.close();
    if (garbage != null) {
      garbage.shutdownNow();
    }
  }

  @Test
  void aReplyThatIsNotAMessageOfItsTypeIs502() {
    HttpResponse<String> r = get(gateway, "/garbage/warehouses/main/items/hammer");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(r).get("detail").asText())
        .contains("inventory.v1.Inventory/GetItem", "not a valid message");
  }

  @Test
  void notFoundIs404WithTheStatusDetails() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items/anvil");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode p = json(r);
    assertThat(p.get("title").asText()).isEqualTo("Not found");
    assertThat(p.get("detail").asText()).isEqualTo("warehouses/main/items/anvil not found");
    assertThat(p.get("grpcStatus").asText()).isEqualTo("NOT_FOUND");
    assertThat(p.get("grpcCode").asInt()).isEqualTo(5);
    assertThat(p.get("retryable").asBoolean()).isFalse();
    assertThat(p.get("details")).extracting(d -> d.get("@type").asText()).containsExactly(
        "type.googleapis.com/google.rpc.ResourceInfo", "type.googleapis.com/google.rpc.ErrorInfo");
    assertThat(p.get("details").get(1).get("reason").asText()).isEqualTo("ITEM_NOT_FOUND");
    assertThat(p.get("details").get(1).get("metadata").get("name").asText()).isEqualTo("warehouses/main/items/anvil");
  }

  @Test
  void invalidArgumentIs400AndBadRequestViolationsBecomeFieldErrors() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/main/items", "{\"category\":\"TOOLS\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode p = json(r);
    assertThat(p.get("grpcStatus").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(p.get("errors")).extracting(e -> e.get("pointer").asText()).containsExactly("/item/sku", "/item/title");
    assertThat(p.get("details").get(0).get("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.BadRequest");
  }

  @Test
  void failedPreconditionIs400WithThePreconditionFailure() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/main/items/kettle:reserve", "{\"quantity\":\"1\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode p = json(r);
    assertThat(p.get("grpcStatus").asText()).isEqualTo("FAILED_PRECONDITION");
    assertThat(p.get("details").get(0).get("violations").get(0).get("type").asText()).isEqualTo("STOCK");
  }

  @Test
  void resourceExhaustedIs429RetryableWithRetryAfterFromRetryInfo() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/main/items/hammer:reserve",
        "{\"quantity\":\"1\",\"reservationId\":\"flood\"}");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("2");
    JsonNode p = json(r);
    assertThat(p.get("retryable").asBoolean()).isTrue();
    assertThat(p.get("details")).extracting(d -> d.get("@type").asText()).contains(
        "type.googleapis.com/google.rpc.RetryInfo", "type.googleapis.com/google.rpc.QuotaFailure");
    assertThat(p.get("details").get(0).get("retryDelay").asText()).isEqualTo("2s");
  }

  @Test
  void alreadyExistsIs409() {
    HttpResponse<String> r = call(gateway, "POST", "/v1/warehouses/main/items", "{\"sku\":\"hammer\",\"title\":\"x\"}");
    assertThat(r.statusCode()).isEqualTo(409);
  }

  @Test
  void permissionDeniedIs403() {
    assertThat(get(gateway, "/v1/warehouses/main/items/secret").statusCode()).isEqualTo(403);
  }

  @Test
  void anExceptionInTheServiceIsUnknownAnd500() {
    HttpResponse<String> r = get(gateway, "/v1/warehouses/main/items/broken");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(json(r).get("grpcStatus").asText()).isEqualTo("UNKNOWN");
  }

  @Test
  void anOperationMapsStatusesToItsOwnHttpStatuses() {
    assertThat(get(gateway, "/api/items/warehouses/main/items/anvil").statusCode()).isEqualTo(410);
    assertThat(get(gateway, "/api/items/warehouses/main/items/secret").statusCode()).isEqualTo(404);
    assertThat(get(gateway, "/api/items/warehouses/main/items/hammer").statusCode()).isEqualTo(200);
  }

  @Test
  void theOperationTimeoutIsTheDeadlineAndAMissedOneIs504() {
    long t0 = System.nanoTime();
    HttpResponse<String> r = get(gateway, "/api/items/warehouses/main/items/slow");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
    JsonNode p = json(r);
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:gateway-timeout");
    assertThat(p.get("detail").asText()).isEqualTo(
        "The backend did not answer inventory.v1.Inventory/GetItem within 300 ms");
    assertThat(p.get("retryable").asBoolean()).isTrue();
    assertThat(ms).as("answered at the deadline, long before the backend (5 s)").isLessThan(4_000);
  }

  @Test
  void tlsIsSpokenWhenAskedSoAPlaintextServerCannotBeReached() {
    HttpResponse<String> r = get(gateway, "/tls/warehouses/main/items/hammer");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(json(r).get("detail").asText()).isEqualTo("The backend of inventory.v1.Inventory/GetItem cannot be reached");
  }

  @Test
  void anUnreachableBackendIs503() {
    HttpResponse<String> r = get(gateway, "/down/warehouses/main/items/hammer");
    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode p = json(r);
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:backend-unavailable");
    assertThat(p.get("retryable").asBoolean()).isTrue();
    assertThat(p.get("detail").asText()).isEqualTo("The backend of inventory.v1.Inventory/GetItem cannot be reached");
  }
}
