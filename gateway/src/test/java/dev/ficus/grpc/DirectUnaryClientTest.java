package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.undertow.Undertow;
import io.undertow.util.HeaderMap;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DirectUnaryClient} against a real grpc-java server, driven from a real Undertow IO
 * thread (one IO thread, so that every call shares one lane): calls beyond the lane's stream
 * limit wait and are all answered; an echo comes back as the one reply message; a closed port
 * is UNAVAILABLE with its cause; a cancel resets only its own stream.
 */
class DirectUnaryClientTest {
  private static final MethodDescriptor.Marshaller<byte[]> RAW = GrpcMappingCompiler.ReplyBytes.INSTANCE;

  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger most = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  /** Calls to be cancelled that reached the backend's method (a reset can come before that). */
  private final AtomicInteger reachedToCancel = new AtomicInteger();
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  private Server backend;
  private Undertow front;
  private DirectUnaryClient client;

  @BeforeEach
  void start() throws Exception {
    backend = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("test.Echo")
            .addMethod(MethodDescriptor.<byte[], byte[]>newBuilder(RAW, RAW).setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("test.Echo/Slow").build(),
                ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> out) -> {
                  most.accumulateAndGet(active.incrementAndGet(), Math::max);
                  ((io.grpc.stub.ServerCallStreamObserver<byte[]>) out).setOnCancelHandler(cancelled::incrementAndGet);
                  String path = new String(request, StandardCharsets.UTF_8);
                  if (path.startsWith("/cancel")) {
                    reachedToCancel.incrementAndGet();
                  }
                  long delay = path.startsWith("/long") ? 3_000 : 200;
                  later.schedule(() -> {
                    active.decrementAndGet();
                    out.onNext(request);
                    out.onCompleted();
                  }, delay, TimeUnit.MILLISECONDS);
                }))
            .build())
        .build().start();
  }

  @AfterEach
  void stop() throws Exception {
    if (front != null) {
      front.stop();
    }
    if (client != null) {
      client.close();
    }
    backend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    later.shutdownNow();
  }

  /**
   * A front whose every request makes one direct call with the request's path as the message; a
   * path starting with /cancel cancels its call 50 ms after it starts.
   */
  private String front(String target, int maxStreams) {
    return front(target, maxStreams, 5_000, 700);
  }

  /** Pings time out after 500 ms; connections idle for {@code idleMillis} are closed. */
  private String front(String target, int maxStreams, long timeoutMillis, long idleMillis) {
    return front(target, maxStreams, timeoutMillis, idleMillis, DirectUnaryClient.CANCELS_PER_CONNECTION);
  }

  private String front(String target, int maxStreams, long timeoutMillis, long idleMillis, int cancelsPerConnection) {
    client = new DirectUnaryClient(target, maxStreams, 500, idleMillis, cancelsPerConnection);
    front = Undertow.builder().setIoThreads(1).addHttpListener(0, "127.0.0.1").setHandler(ex -> {
      byte[] message = ex.getRequestPath().getBytes(StandardCharsets.UTF_8);
      ex.dispatch(io.undertow.util.SameThreadExecutor.INSTANCE, () -> {
        DirectUnaryClient.Pending call = client.call(ex.getIoThread(),
            ex.getConnection().getByteBufferPool(), "/test.Echo/Slow", message, new HeaderMap(), timeoutMillis, 1 << 20,
            (status, headers, trailers, reply) -> {
              ex.setStatusCode(status.isOk() ? 200 : 502);
              ex.getResponseSender().send(status.isOk() ? new String(reply, StandardCharsets.UTF_8)
                  : status.getCode() + (status.getCause() != null ? " caused" : ""));
            });
        if (ex.getRequestPath().startsWith("/cancel")) {
          ex.getIoThread().executeAfter(() -> call.cancel("cancelled by the test"), 50, TimeUnit.MILLISECONDS);
        }
      });
    }).build();
    front.start();
    return "http://127.0.0.1:" + ((InetSocketAddress) front.getListenerInfo().get(0).getAddress()).getPort();
  }

  @Test
  void callsBeyondTheStreamLimitWaitAndAreAllAnswered() throws Exception {
    String base = front("127.0.0.1:" + backend.getPort(), 3);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/call-" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = calls.get(i).get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).as("the echo of its own message").isEqualTo("/call-" + i);
    }
    assertThat(most.get()).as("calls in flight at the backend at once").isEqualTo(3);
  }

  @Test
  void aConnectionWhosePeerFallsSilentIsReplacedAfterAMissedDeadline() throws Exception {
    try (Relay relay = new Relay(backend.getPort())) {
      // A long idle time, so that only the ping can replace the connection.
      String base = front("127.0.0.1:" + relay.port(), 100, 1_000, 60_000);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/a")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("/a");
      // The connection stays open but nothing crosses it any more (a vanished peer, no FIN).
      relay.freezeExisting();
      HttpResponse<String> late = http.send(HttpRequest.newBuilder(URI.create(base + "/b")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(late.body()).isEqualTo(Status.Code.DEADLINE_EXCEEDED.toString());
      // The ping after the missed deadline gets no answer within 500 ms: the connection is
      // closed, and the next call goes over a new one.
      Thread.sleep(1_000);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/c")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("/c");
      assertThat(relay.accepted()).isEqualTo(2);
    }
  }

  /** A TCP relay to the backend whose existing connections can be frozen (bytes no longer pass). */
  private static final class Relay implements AutoCloseable {
    private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress());
    private final List<java.util.concurrent.atomic.AtomicBoolean> frozen =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closedByClient = new AtomicInteger();

    Relay(int target) throws java.io.IOException {
      Thread t = new Thread(() -> {
        try {
          while (true) {
            java.net.Socket in = server.accept();
            java.net.Socket out = new java.net.Socket("127.0.0.1", target);
            accepted.incrementAndGet();
            sockets.add(in);
            sockets.add(out);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            frozen.add(stop);
            pump(in, out, stop, closedByClient);
            pump(out, in, stop, new AtomicInteger());
          }
        } catch (java.io.IOException e) {
          // closed
        }
      }, "relay");
      t.setDaemon(true);
      t.start();
    }

    /** Copies {@code from} to {@code to}; counts {@code ended} when {@code from} closes. */
    private static void pump(java.net.Socket from, java.net.Socket to, java.util.concurrent.atomic.AtomicBoolean stop,
        AtomicInteger ended) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[8192];
        try {
          int n;
          while ((n = from.getInputStream().read(buf)) > 0) {
            if (!stop.get()) {
              to.getOutputStream().write(buf, 0, n);
            }
          }
          ended.incrementAndGet();
        } catch (java.io.IOException e) {
          // closed
        }
      }, "relay-pump");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    /** Connections the client (the gateway) closed. */
    int closedByClient() {
      return closedByClient.get();
    }

    void freezeExisting() {
      frozen.forEach(f -> f.set(true));
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
      for (java.net.Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void missedDeadlinesDoNotPingAGrpcJavaServerIntoClosingTheConnection() throws Exception {
    try (Relay relay = new Relay(backend.getPort())) {
      // Every call misses its 100 ms deadline (the backend answers after 200 ms), and its reset
      // leaves the backend nothing to write: a grpc-java server closes a connection at the third
      // ping that follows another within 5 minutes with nothing written in between.
      String base = front("127.0.0.1:" + relay.port(), 100, 100, 60_000);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 6; i++) {
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/late-" + i)).build(),
            HttpResponse.BodyHandlers.ofString()).body()).isEqualTo(Status.Code.DEADLINE_EXCEEDED.toString());
        Thread.sleep(50);
      }
      assertThat(relay.accepted()).as("one backend connection throughout").isEqualTo(1);
    }
  }

  @Test
  void anIdleConnectionIsClosedAndTheNextCallOpensAnother() throws Exception {
    try (Relay relay = new Relay(backend.getPort())) {
      String base = front("127.0.0.1:" + relay.port(), 100);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (String p : List.of("/a", "/b")) {
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + p)).build(),
            HttpResponse.BodyHandlers.ofString()).body()).isEqualTo(p);
      }
      assertThat(relay.accepted()).as("two calls within the idle time share a connection").isEqualTo(1);
      Thread.sleep(1_500);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/c")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("/c");
      assertThat(relay.accepted()).as("the idle connection was closed (700 ms)").isEqualTo(2);
    }
  }

  @Test
  void cancelsResetOnlyTheirOwnStreamsEvenPastUndertowsLimitOnResets() throws Exception {
    try (Relay relay = new Relay(backend.getPort())) {
      String base = front("127.0.0.1:" + relay.port(), 100, 10_000, 60_000);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/long"))
          .build(), HttpResponse.BodyHandlers.ofString());
      // 250 cancels on one connection: Undertow closes a connection that sends more than 200
      // RST_STREAM frames in 30 s unless told otherwise, which would fail the long call.
      for (int batch = 0; batch < 5; batch++) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/cancel-" + batch + "-" + i)).build(),
              HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> c : calls) {
          assertThat(c.get(10, TimeUnit.SECONDS).body()).isEqualTo(Status.Code.CANCELLED.toString());
        }
      }
      HttpResponse<String> r = slow.get(10, TimeUnit.SECONDS);
      assertThat(r.body()).as("the call in flight on the same connection all along").isEqualTo("/long");
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (cancelled.get() < reachedToCancel.get() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(reachedToCancel.get()).as("cancelled calls that reached the backend's method").isGreaterThan(200);
      assertThat(cancelled.get()).as("all of them cancelled there").isEqualTo(reachedToCancel.get());
      assertThat(relay.accepted()).as("one backend connection throughout").isEqualTo(1);
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/after")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("/after");
      assertThat(relay.accepted()).isEqualTo(1);
    }
  }

  @Test
  void aConnectionIsReplacedAfterManyCancelsAndClosedOnceItsLastCallEnds() throws Exception {
    try (Relay relay = new Relay(backend.getPort())) {
      String base = front("127.0.0.1:" + relay.port(), 100, 10_000, 60_000, 10);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/long"))
          .build(), HttpResponse.BodyHandlers.ofString());
      for (int i = 0; i < 10; i++) {
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/cancel-" + i)).build(),
            HttpResponse.BodyHandlers.ofString()).body()).isEqualTo(Status.Code.CANCELLED.toString());
      }
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/next")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("/next");
      assertThat(relay.accepted()).as("the 10th cancel retired the first connection").isEqualTo(2);
      assertThat(relay.closedByClient()).as("not closed while a call runs on it").isZero();
      assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("/long");
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (relay.closedByClient() == 0 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(relay.closedByClient()).as("closed after its last call").isEqualTo(1);
    }
  }

  @Test
  void aClosedPortIsUnavailableWithItsCause() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String base = front("127.0.0.1:" + closed, 100);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo(Status.Code.UNAVAILABLE + " caused");
  }
}
