package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.server.GatewayServer;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who gave up: a grpc-java server of the test's own answers {@code DEADLINE_EXCEEDED} at once,
 * with a message (its own deadline on a call further down), or never answers. On both unary
 * transports and on a server stream, the first is a 504 that keeps the backend's message and
 * says the backend gave up ({@code backend-fault}, {@code grpcMessage}), the second the
 * gateway's own timeout ({@code gateway-timeout}, the gateway's wording), at its deadline.
 */
class GrpcBackendDeadlineTest {
  private static final String SAID = "the ledger's own deadline of 40 ms passed";

  @TempDir
  static Path tmp;
  static io.grpc.Server backend;
  static GatewayServer gateway;

  @BeforeAll
  static void start() throws IOException {
    backend = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(io.grpc.ServerServiceDefinition.builder("inventory.v1.Inventory")
            .addMethod(GrpcFixture.rawMethod("inventory.v1.Inventory/GetItem", io.grpc.MethodDescriptor.MethodType.UNARY),
                ServerCalls.asyncUnaryCall(GrpcBackendDeadlineTest::answer))
            .addMethod(GrpcFixture.rawMethod("inventory.v1.Inventory/WatchStock", io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING),
                ServerCalls.asyncServerStreamingCall(GrpcBackendDeadlineTest::answer))
            .build())
        .build().start();
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.writeTransportMappings(config, backend.getPort(), """
          - route: GET /TRANSPORT/expired/{name=warehouses/*/items/*}
            call: GetItem
            timeout: 5s
          - route: GET /TRANSPORT/silent/{name=warehouses/*/items/*}
            call: GetItem
            timeout: 300ms
          - route: GET /TRANSPORT/watch/{name=warehouses/*/items/*}
            call: WatchStock
            timeout: 5s
          - route: GET /TRANSPORT/watch-silent/{name=warehouses/*/items/*}
            call: WatchStock
            timeout: 300ms
        """);
    gateway = GrpcFixture.start(config);
  }

  /**
   * By the item's name in the request: {@code expired} answers DEADLINE_EXCEEDED at once,
   * {@code late} one (empty) message first, {@code silent} never answers.
   */
  private static void answer(byte[] request, StreamObserver<byte[]> out) {
    String text = new String(request, StandardCharsets.ISO_8859_1);
    if (text.contains("silent")) {
      return;
    }
    if (text.contains("late")) {
      out.onNext(new byte[0]);
    }
    out.onError(Status.DEADLINE_EXCEEDED.withDescription(SAID).asRuntimeException());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (backend != null) {
      backend.shutdownNow();
    }
  }

  private static JsonNode problem(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    return UnaryTranscodingTest.json(r);
  }

  private static void assertTheBackendGaveUp(JsonNode p) {
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:backend-fault");
    assertThat(p.get("status").asInt()).isEqualTo(504);
    assertThat(p.get("detail").asText()).startsWith("The backend gave up on inventory.v1.Inventory/")
        .endsWith(": " + SAID).doesNotContain("did not answer");
    assertThat(p.get("grpcStatus").asText()).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(p.get("grpcMessage").asText()).isEqualTo(SAID);
    assertThat(p.get("retryable").asBoolean()).isTrue();
  }

  private static void assertTheGatewayGaveUp(JsonNode p, String method) {
    assertThat(p.get("type").asText()).isEqualTo("urn:ficus:problem:gateway-timeout");
    assertThat(p.get("detail").asText())
        .isEqualTo("The backend did not answer inventory.v1.Inventory/" + method + " within 300 ms");
    assertThat(p.has("grpcMessage")).as("the transport's own description is not shown").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aDeadlineExceededTheBackendAnswersAtOnceKeepsItsMessageAndSaysTheBackendGaveUp(String transport) {
    long t0 = System.nanoTime();
    HttpResponse<String> r = GrpcFixture.get(gateway, "/" + transport + "/expired/warehouses/main/items/expired");
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertTheBackendGaveUp(problem(r));
    assertThat(ms).as("answered at once, long before the gateway's 5 s").isLessThan(4_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aBackendThatNeverAnswersIsTheGatewaysOwnTimeout(String transport) {
    long t0 = System.nanoTime();
    HttpResponse<String> r = GrpcFixture.get(gateway, "/" + transport + "/silent/warehouses/main/items/silent");
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertTheGatewayGaveUp(problem(r), "GetItem");
    assertThat(ms).as("answered at the deadline").isBetween(250L, 4_000L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aServerStreamThatTheBackendEndsWithDeadlineExceededSaysTheBackendGaveUp(String transport) {
    assertTheBackendGaveUp(problem(GrpcFixture.get(gateway,
        "/" + transport + "/watch/warehouses/main/items/expired")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aDeadlineExceededPartWayThroughAServerStreamIsTheBackendsInItsErrorEvent(String transport) {
    HttpResponse<String> r = GrpcFixture.get(gateway, "/" + transport + "/watch/warehouses/main/items/late");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode events = UnaryTranscodingTest.json(r);
    assertThat(events.size()).as(r.body()).isEqualTo(2);
    assertTheBackendGaveUp(events.get(1).get("error"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aServerStreamThatNeverAnswersIsTheGatewaysOwnTimeout(String transport) {
    assertTheGatewayGaveUp(problem(GrpcFixture.get(gateway,
        "/" + transport + "/watch-silent/warehouses/main/items/silent")), "WatchStock");
  }
}
