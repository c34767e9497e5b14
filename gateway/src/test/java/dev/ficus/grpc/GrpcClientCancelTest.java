package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.http.RawHttp;
import dev.ficus.server.GatewayServer;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REST client that leaves while its unary call runs on the direct client: the grpc-java
 * backend sees the call cancelled (RST_STREAM CANCEL) long before the call's 10 s timeout, other
 * calls on the same backend connection go on, and the gateway keeps serving. One IO thread, so
 * that every call shares one backend connection. The same for a unary call and a server stream
 * (before its first message) on grpc-java's channel ({@code directUnary: false}).
 */
class GrpcClientCancelTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Context.Key<Integer> PEER_PORT = Context.key("peer-port");

  /** Per item name (the last path segment): the call, as the backend saw it. */
  private static final Map<String, Seen> SEEN = new ConcurrentHashMap<>();
  private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor();

  @TempDir
  static Path tmp;
  static Server backend;
  static GatewayServer gateway;

  /** One call at the backend: when it started, on which connection, and whether it was cancelled. */
  static final class Seen {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch cancelled = new CountDownLatch(1);
    volatile int peerPort;
  }

  static Seen seen(String name) {
    return SEEN.computeIfAbsent(name, n -> new Seen());
  }

  @BeforeAll
  static void start() throws IOException {
    MethodDescriptor.Marshaller<byte[]> raw = GrpcMappingCompiler.ReplyBytes.INSTANCE;
    // GetItem echoes its request (field 1, the name, is field 1 of Item too): at once, after
    // 1.5 s for a name with "steady", never for a name with "slow".
    ServerServiceDefinition inventory = ServerServiceDefinition.builder("inventory.v1.Inventory")
        .addMethod(MethodDescriptor.<byte[], byte[]>newBuilder(raw, raw).setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("inventory.v1.Inventory/GetItem").build(),
            ServerCalls.asyncUnaryCall((byte[] request, io.grpc.stub.StreamObserver<byte[]> out) -> {
              String text = arrived(request, out);
              if (text.contains("slow")) {
                return;
              }
              long delay = text.contains("steady") ? 1_500 : 0;
              LATER.schedule(() -> {
                out.onNext(request);
                out.onCompleted();
              }, delay, TimeUnit.MILLISECONDS);
            }))
        // WatchStock: nothing for a name with "slow", just the end for "empty", else one (empty)
        // event and the end.
        .addMethod(MethodDescriptor.<byte[], byte[]>newBuilder(raw, raw)
                .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
                .setFullMethodName("inventory.v1.Inventory/WatchStock").build(),
            ServerCalls.asyncServerStreamingCall((byte[] request, io.grpc.stub.StreamObserver<byte[]> out) -> {
              String text = arrived(request, out);
              if (text.contains("slow")) {
                return;
              }
              if (!text.contains("empty")) {
                out.onNext(new byte[0]);
              }
              out.onCompleted();
            }))
        .build();
    ServerInterceptor peer = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        InetSocketAddress a = (InetSocketAddress) call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return Contexts.interceptCall(Context.current().withValue(PEER_PORT, a.getPort()), call, headers, next);
      }
    };
    backend = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(inventory, peer)).build().start();
    Path config = GrpcFixture.workspace(tmp);
    GrpcFixture.write(config, "gateway.yaml", """
        ficus: gateway/v1
        ioThreads: 1
        """);
    GrpcFixture.write(config, "inventory.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:%d
            proto: ../proto/inventory.proto
            httpRules: false
        operations:
          - route: GET /api/items/{name=warehouses/*/items/*}
            call: GetItem
            timeout: 10s
          - route: POST /api/lookup
            call: GetItem
            timeout: 10s
            request: body
        """.formatted(backend.getPort()));
    GrpcFixture.write(config, "channel.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: 127.0.0.1:%d
            proto: ../proto/inventory.proto
            httpRules: false
            directUnary: false
        operations:
          - route: GET /api/channel/items/{name=warehouses/*/items/*}
            call: GetItem
            timeout: 10s
          - route: GET /api/channel/watch/{name=warehouses/*/items/*}
            call: WatchStock
            timeout: 10s
        """.formatted(backend.getPort()));
    gateway = GrpcFixture.start(config);
  }

  /** Records a call's arrival at the backend (by its name's last segment); returns the request as text. */
  private static String arrived(byte[] request, io.grpc.stub.StreamObserver<byte[]> out) {
    String text = new String(request, StandardCharsets.ISO_8859_1);
    Seen s = seen(text.substring(text.lastIndexOf('/') + 1));
    s.peerPort = PEER_PORT.get();
    ((ServerCallStreamObserver<byte[]>) out).setOnCancelHandler(s.cancelled::countDown);
    s.started.countDown();
    return text;
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    backend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    LATER.shutdownNow();
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(20));
  }

  private static CompletableFuture<HttpResponse<String>> getItem(String name) {
    return HTTP.sendAsync(request("/api/items/warehouses/main/items/" + name).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] rawGet(String name) {
    return rawGet("/api/items/", name);
  }

  private static byte[] rawGet(String prefix, String name) {
    return ("GET " + prefix + "warehouses/main/items/" + name + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends a GET on a socket that closes once the backend has the call; returns when it closed. */
  private static long leaveWhileItRuns(String prefix, String name) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      s.getOutputStream().write(rawGet(prefix, name));
      s.getOutputStream().flush();
      await(seen(name).started, "the call reached the backend");
      return System.nanoTime();
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    assertThat(latch.await(5, TimeUnit.SECONDS)).as(what).isTrue();
  }

  @Test
  void aClientThatLeavesCancelsItsBackendCallAndOnlyThatOne() throws Exception {
    CompletableFuture<HttpResponse<String>> before = getItem("steady-before");
    await(seen("steady-before").started, "the first steady call reached the backend");
    long left;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      s.getOutputStream().write(rawGet("slow-1"));
      s.getOutputStream().flush();
      await(seen("slow-1").started, "the slow call reached the backend");
      left = System.nanoTime();
    }
    CompletableFuture<HttpResponse<String>> after = getItem("steady-after");

    assertCancelledSoonAfter("slow-1", left);

    for (CompletableFuture<HttpResponse<String>> f : java.util.List.of(before, after)) {
      HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    assertThat(before.get().body()).contains("warehouses/main/items/steady-before");
    assertThat(after.get().body()).contains("warehouses/main/items/steady-after");
    assertThat(seen("steady-before").cancelled.getCount()).as("the other calls were not cancelled").isEqualTo(1);
    assertThat(seen("steady-after").cancelled.getCount()).isEqualTo(1);
    int port = seen("slow-1").peerPort;
    assertThat(seen("steady-before").peerPort).as("all on one backend connection").isEqualTo(port);
    assertThat(seen("steady-after").peerPort).isEqualTo(port);

    HttpResponse<String> next = getItem("fast-after").get(10, TimeUnit.SECONDS);
    assertThat(next.statusCode()).as("the gateway keeps serving").isEqualTo(200);
    assertThat(seen("fast-after").peerPort).as("on the same backend connection").isEqualTo(port);
  }

  @Test
  void aClientThatLeavesCancelsItsCallOnGrpcJavasChannel() throws Exception {
    long left = leaveWhileItRuns("/api/channel/items/", "slow-channel");

    assertCancelledSoonAfter("slow-channel", left);

    HttpResponse<String> next = HTTP.send(request("/api/channel/items/warehouses/main/items/fast-channel").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).as("the gateway keeps serving: " + next.body()).isEqualTo(200);
    assertThat(next.body()).contains("warehouses/main/items/fast-channel");
    assertThat(seen("fast-channel").cancelled.getCount()).as("the next call was not cancelled").isEqualTo(1);
  }

  @Test
  void aConnectionAnsweredOnGrpcJavasChannelServesItsNextRequest() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(rawGet("/api/channel/items/", "fast-kept-1"));
      out.flush();
      assertThat(RawHttp.readOkBody(in)).contains("fast-kept-1");
      out.write(rawGet("/api/channel/items/", "fast-kept-2"));
      out.flush();
      assertThat(RawHttp.readOkBody(in)).as("the connection serves its next request").contains("fast-kept-2");
    }
  }

  @Test
  void aClientThatLeavesAStreamBeforeItsFirstMessageCancelsIt() throws Exception {
    long left = leaveWhileItRuns("/api/channel/watch/", "slow-stream");

    assertCancelledSoonAfter("slow-stream", left);

    HttpResponse<String> next = HTTP.send(request("/api/channel/watch/warehouses/main/items/fast-stream")
        .header("Accept", "application/x-ndjson").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).as("the gateway keeps serving: " + next.body()).isEqualTo(200);
    assertThat(next.body().lines().count()).as(next.body()).isEqualTo(1);
    assertThat(seen("fast-stream").cancelled.getCount()).as("the next stream was not cancelled").isEqualTo(1);
    HttpResponse<String> empty = HTTP.send(request("/api/channel/watch/warehouses/main/items/empty-stream").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(empty.statusCode()).as(empty.body()).isEqualTo(200);
    assertThat(empty.body()).isEqualTo("[]");
  }

  @Test
  void aClientThatWaitsGetsItsAnswerWhenTheRequestHadABody() throws Exception {
    HttpResponse<String> r = HTTP.send(request("/api/lookup").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"warehouses/main/items/steady-post\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("steady-post");
    assertThat(seen("steady-post").cancelled.getCount()).isEqualTo(1);
  }

  @Test
  void aRequestPipelinedWhileACallRunsIsAnsweredAfterIt() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(rawGet("steady-piped"));
      out.flush();
      await(seen("steady-piped").started, "the first call reached the backend");
      out.write(rawGet("fast-piped"));
      out.flush();
      assertThat(RawHttp.readOkBody(in)).contains("steady-piped");
      assertThat(RawHttp.readOkBody(in)).contains("fast-piped");
    }
    assertThat(seen("steady-piped").cancelled.getCount()).as("the first call was not cancelled").isEqualTo(1);
  }

  /**
   * Asserts that the backend saw the call for {@code item} cancelled within 2 s of {@code left}
   * (nanoTime of the client leaving), well before the call's own 10 s timeout.
   */
  private static void assertCancelledSoonAfter(String item, long left) throws InterruptedException {
    assertThat(seen(item).cancelled.await(2, TimeUnit.SECONDS))
        .as("the backend sees the call cancelled well before its 10 s timeout").isTrue();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left);
    assertThat(millis).as("ms from the client leaving to the backend's cancel").isLessThan(2_000);
  }
}
