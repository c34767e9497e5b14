package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.server.GatewayServer;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replies of 64 KiB, 2 MB, 4 MiB and over the gateway's reply limit, in sequence and at once,
 * on both unary transports (the direct HTTP/2 client and grpc-java's channel), each followed by
 * small calls on the same backend connection (one IO thread): an oversized reply, a client that
 * leaves mid-reply or a deadline that passes mid-reply never costs later calls anything — in
 * particular, the bytes of an abandoned reply are given back to the HTTP/2 connection's
 * flow-control window.
 */
class GrpcAbandonedRepliesTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** limits.maxResponseSize, below grpc-java's channel default, so that the limit is the gateway's. */
  static final int LIMIT = 6 * 1024 * 1024;
  /** The sizes the issue names; the last is over {@link #LIMIT}. */
  static final int[] SIZES = {64 * 1024, 2_000_000, 4 * 1024 * 1024, LIMIT + 1024 * 1024};
  /**
   * A small call must answer well within the route's 10 s timeout (a call on a stalled
   * connection would take all of it); the bound leaves room for a busy machine.
   */
  static final long PROMPT_MILLIS = 2_000;

  @TempDir
  static Path tmp;
  static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor();
  static Server backend;
  static GatewayServer gateway;

  @BeforeAll
  static void start() throws IOException {
    MethodDescriptor.Marshaller<byte[]> raw = GrpcMappingCompiler.ReplyBytes.INSTANCE;
    // GetItem answers an Item whose title has as many bytes as the request's sku (the name's
    // last segment) says; a sku SIZE+MS answers after MS milliseconds; the sku "quota" fails with
    // the backend's own RESOURCE_EXHAUSTED.
    backend = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("inventory.v1.Inventory")
            .addMethod(MethodDescriptor.<byte[], byte[]>newBuilder(raw, raw)
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName("inventory.v1.Inventory/GetItem").build(),
                ServerCalls.asyncUnaryCall((byte[] request, io.grpc.stub.StreamObserver<byte[]> out) -> {
                  String sku = sku(request);
                  if (sku.equals("quota")) {
                    out.onError(io.grpc.Status.RESOURCE_EXHAUSTED.withDescription("quota used up").asRuntimeException());
                    return;
                  }
                  int plus = sku.indexOf('+');
                  LATER.schedule(() -> {
                    out.onNext(item(Integer.parseInt(plus < 0 ? sku : sku.substring(0, plus))));
                    out.onCompleted();
                  }, plus < 0 ? 0 : Long.parseLong(sku.substring(plus + 1)), TimeUnit.MILLISECONDS);
                }))
            .build())
        .build().start();
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.write(config, "gateway.yaml", """
        ficus: gateway/v1
        ioThreads: 1
        limits:
          maxResponseSize: %d
        """.formatted(LIMIT));
    GrpcFixture.writeTransportMappings(config, backend.getPort(), """
          - route: GET /TRANSPORT/items/{name=warehouses/*/items/*}
            call: GetItem
            timeout: 10s
          - route: GET /TRANSPORT/hasty/{name=warehouses/*/items/*}
            call: GetItem
            timeout: 100ms
        """);
    gateway = GrpcFixture.start(config);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (backend != null) {
      backend.shutdownNow();
    }
    LATER.shutdownNow();
  }

  /** The sku of a GetItemRequest: field 1, the name, ends with /SKU. */
  private static String sku(byte[] request) {
    String text = new String(request, StandardCharsets.ISO_8859_1);
    return text.substring(text.lastIndexOf('/') + 1).trim();
  }

  /** An Item whose title (field 3) has {@code n} bytes. */
  static byte[] item(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(n + 8);
    out.write(0x1a);
    for (long v = n; ; v >>>= 7) {
      if (v < 0x80) {
        out.write((int) v);
        break;
      }
      out.write((int) (v & 0x7f) | 0x80);
    }
    byte[] title = new byte[n];
    Arrays.fill(title, (byte) 'x');
    out.writeBytes(title);
    return out.toByteArray();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> getAsync(String path) {
    return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String item(String transport, int size) {
    return "/" + transport + "/items/warehouses/main/items/" + size;
  }

  /** What a reply of {@code size} bytes must be answered with. */
  private static void assertAnswered(HttpResponse<String> r, int size) {
    if (size <= LIMIT) {
      assertThat(r.statusCode()).as("a reply of %d bytes", size).isEqualTo(200);
      assertThat(r.body().length()).as("the JSON of a title of %d bytes", size).isGreaterThan(size);
    } else {
      assertThat(r.statusCode()).as("a reply of %d bytes, over the limit", size).isEqualTo(502);
      JsonNode problem = UnaryTranscodingTest.json(r);
      assertThat(problem.get("retryable").asBoolean()).as("the same call gets the same reply").isFalse();
      assertThat(problem.get("detail").asText()).contains(LIMIT + " bytes").contains("limits.maxResponseSize");
    }
  }

  /** Small calls, then a 2 MB call, on the same backend connection, each answered promptly. */
  private static void laterCallsAnswerPromptly(String transport, String after) throws Exception {
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = get(item(transport, 10));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(r.statusCode()).as("a small call after %s", after).isEqualTo(200);
      assertThat(ms).as("ms for a small call after %s", after).isLessThan(PROMPT_MILLIS);
    }
    long t0 = System.nanoTime();
    HttpResponse<String> r = get(item(transport, 2_000_000));
    assertThat(r.statusCode()).as("a 2 MB call after %s", after).isEqualTo(200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("ms for a 2 MB call after %s", after)
        .isLessThan(2 * PROMPT_MILLIS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void repliesOfEverySizeInSequenceCostTheCallsAfterThemNothing(String transport) throws Exception {
    for (int round = 0; round < 2; round++) {
      for (int size : SIZES) {
        assertAnswered(get(item(transport, size)), size);
        laterCallsAnswerPromptly(transport, "a reply of " + size + " bytes");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void repliesOfEverySizeAtOnceCostTheCallsAfterThemNothing(String transport) throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (int size : SIZES) {
        calls.add(getAsync(item(transport, size)));
      }
    }
    for (int i = 0; i < calls.size(); i++) {
      assertAnswered(calls.get(i).get(30, TimeUnit.SECONDS), SIZES[i % SIZES.length]);
    }
    laterCallsAnswerPromptly(transport, "replies of every size at once");
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void clientsThatLeaveDuringLargeRepliesCostTheCallsAfterThemNothing(String transport) throws Exception {
    for (int i = 0; i < 10; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + item(transport, 4 * 1024 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Leave while the gateway reads the reply from the backend, at a different point each time.
        Thread.sleep(30 + 30 * i);
        s.setSoLinger(true, 0);
      }
    }
    laterCallsAnswerPromptly(transport, "clients that left during 4 MiB replies");
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void deadlinesThatPassDuringLargeRepliesCostTheCallsAfterThemNothing(String transport) throws Exception {
    for (int i = 0; i < 4; i++) {
      // Begun 95 ms into the call's 100 ms; under the size limit.
      HttpResponse<String> r = get("/" + transport + "/hasty/warehouses/main/items/" + (5 * 1024 * 1024) + "+95");
      assertThat(r.statusCode()).as("a 5 MiB reply cannot arrive within 5 ms: %s", r.body()).isEqualTo(504);
    }
    laterCallsAnswerPromptly(transport, "deadlines that passed during 5 MiB replies");
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "channel"})
  void aBackendsOwnResourceExhaustedStaysA429ThatMayBeRetried(String transport) throws Exception {
    HttpResponse<String> r = get("/" + transport + "/items/warehouses/main/items/quota");
    assertThat(r.statusCode()).isEqualTo(429);
    JsonNode problem = UnaryTranscodingTest.json(r);
    assertThat(problem.get("retryable").asBoolean()).isTrue();
    assertThat(problem.get("detail").asText()).isEqualTo("quota used up");
  }
}
