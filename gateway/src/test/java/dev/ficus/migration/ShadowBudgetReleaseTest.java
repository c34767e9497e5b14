package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.server.GatewayServer;
import io.undertow.Undertow;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shadow copy gives back its slot and its bytes, whichever way it ends: answered, timed
 * out, refused a connection, reset, its client gone in the middle of the body, across a reload;
 * and a copy over the route's budget is dropped and counted while its client is answered as
 * usual. Real servers on loopback: a primary and a mirror (Undertow), black holes and a target
 * that resets ({@link BlackHoleTarget}), a port nobody listens on.
 */
class ShadowBudgetReleaseTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final byte[] BODY = "x".repeat(200_000).getBytes(StandardCharsets.US_ASCII);

  @TempDir
  static Path dir;
  static Undertow primary;
  static Undertow mirror;
  static BlackHoleTarget hole;
  static BlackHoleTarget resetter;
  static GatewayServer gateway;
  static String base;
  static String config;
  static final java.util.concurrent.atomic.AtomicInteger mirrorSawLeft = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    primary = answering(false);
    mirror = answering(true);
    hole = new BlackHoleTarget(BlackHoleTarget.Mode.NEVER_READS);
    resetter = new BlackHoleTarget(BlackHoleTarget.Mode.RESETS);
    int dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    config = """
        ficus: gateway/v1
        upstreams:
          primary: { url: http://127.0.0.1:%d }
          mirror: { url: http://127.0.0.1:%d }
          hole: { url: http://127.0.0.1:%d, timeout: 300ms }
          slowhole: { url: http://127.0.0.1:%d, timeout: 1500ms }
          dead: { url: http://127.0.0.1:%d }
          resetter: { url: http://127.0.0.1:%d }
        routes:
          - { path: /answered/**, to: primary, shadow: { to: mirror, unsafeMethods: true } }
          - { path: /hole/**, to: primary, shadow: { to: hole, unsafeMethods: true } }
          - { path: /slow/**, to: primary, shadow: { to: slowhole, unsafeMethods: true } }
          - { path: /dead/**, to: primary, shadow: { to: dead, unsafeMethods: true } }
          - { path: /reset/**, to: primary, shadow: { to: resetter, unsafeMethods: true } }
          - { path: /small/**, to: primary, shadow: { to: mirror, unsafeMethods: true, maxMemory: 64KB } }
          - { path: /bigger/**, to: primary, shadow: { to: mirror, maxMemory: 128KB } }
          - { path: /one/**, to: primary, shadow: { to: hole, unsafeMethods: true, queueSize: 1, timeout: 2s } }
        """.formatted(port(primary), port(mirror), hole.port(), hole.port(), dead, resetter.port());
    Files.writeString(dir.resolve("gateway.yaml"), config);
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
    base = "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    primary.stop();
    mirror.stop();
    hole.close();
    resetter.close();
  }

  @Test
  void copiesTheShadowAnswersGiveBackEveryByte() throws Exception {
    Parity.Snapshot s = postAndSettle("/answered/a", 5);
    assertThat(s.matches()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void copiesThatTimeOutGiveBackEveryByte() throws Exception {
    Parity.Snapshot s = postAndSettle("/hole/a", 5);
    assertThat(s.errors()).isGreaterThanOrEqualTo(5);
    assertThat(s.recent().get(0).error()).contains("no answer within 300 ms");
  }

  @Test
  void copiesToATargetThatRefusesConnectionsGiveBackEveryByte() throws Exception {
    Parity.Snapshot s = postAndSettle("/dead/a", 5);
    assertThat(s.errors()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void copiesWhoseConnectionIsResetGiveBackEveryByte() throws Exception {
    Parity.Snapshot s = postAndSettle("/reset/a", 5);
    assertThat(s.errors()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aClientThatLeavesInTheMiddleOfItsBodyLeavesNoCopyBehind() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (Socket s = new Socket("127.0.0.1", gateway.port())) {
        OutputStream out = s.getOutputStream();
        out.write(("POST /answered/left HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(BODY, 0, BODY.length / 2);
        out.flush();
        Thread.sleep(200);
      }
    }
    Parity.Snapshot s = settled("/answered/**");
    assertThat(mirrorSawLeft.get()).as("copies of truncated bodies sent to the shadow").isZero();
    assertThat(s.inFlight()).as("copies of clients gone").isZero();
    assertThat(s.bytesHeld()).isZero();
    assertTotalIsZero();
  }

  @Test
  void aCopyOverTheRoutesMemoryIsDroppedAndCountedWhileItsClientIsAnswered() throws Exception {
    Parity.Snapshot s = postAndSettle("/small/a", 3);
    assertThat(s.droppedBy().get("routeMemory")).isEqualTo(3);
    assertThat(s.dropped()).isEqualTo(3);
    assertThat(s.errors()).isZero();
  }

  @Test
  void aShadowAnswerOverTheRoutesMemoryIsADropNotAnError() throws Exception {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/bigger/a")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
    }
    Parity.Snapshot s = settled("/bigger/**");
    assertThat(s.droppedBy().get("routeMemory")).isEqualTo(3);
    assertThat(s.errors()).isZero();
    assertThat(s.bytesHeld()).isZero();
  }

  @Test
  void aCopyBeyondTheRoutesQueueSizeIsDroppedAndCountedWhileItsClientIsAnswered() throws Exception {
    // The first copy waits 2 s for the black hole; the next ones find its one slot taken.
    Parity.Snapshot s = postAndSettle("/one/a", 3);
    assertThat(s.droppedBy().get("routeInFlight")).isEqualTo(2);
    assertThat(s.errors()).as("the first copy timed out").isEqualTo(1);
    assertThat(s.recent().get(0).error()).as("the route's own timeout, not its target's 300 ms")
        .isEqualTo("no answer within 2000 ms");
  }

  @Test
  void copiesInFlightDuringAReloadGiveTheirBytesBackToTheSameRoute() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(post("/slow/a").statusCode()).isEqualTo(200);
    }
    Parity before = parity("/slow/**");
    assertThat(before.snapshot().inFlight()).as("copies waiting for the black hole").isEqualTo(3);
    assertThat(before.snapshot().bytesHeld()).as("each copy holds its body, sized once, and a few KB more")
        .isBetween(3L * BODY.length, 3L * (BODY.length + 8 * 1024));
    Files.writeString(dir.resolve("gateway.yaml"), config + "# reloaded\n");
    assertThat(gateway.reload()).isEmpty();
    assertThat(parity("/slow/**")).as("the route keeps its counters").isSameAs(before);
    Parity.Snapshot s = settled("/slow/**");
    assertThat(s.inFlight()).isZero();
    assertThat(s.bytesHeld()).isZero();
    assertThat(s.errors()).isEqualTo(3);
    assertTotalIsZero();
  }

  /** POSTs {@code n} bodies of 200 KB, each answered by the primary, then waits for the route's copies to end. */
  private static Parity.Snapshot postAndSettle(String path, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = post(path);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
    }
    Parity.Snapshot s = settled(path.substring(0, path.indexOf('/', 1)) + "/**");
    assertThat(s.inFlight()).as("copies still in flight").isZero();
    assertThat(s.bytesHeld()).as("bytes still held").isZero();
    assertTotalIsZero();
    return s;
  }

  private static HttpResponse<String> post(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The route's snapshot once its copies have ended (or after 5 s). */
  private static Parity.Snapshot settled(String route) throws InterruptedException {
    Parity p = parity(route);
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Parity.Snapshot s = p.snapshot();
    while ((s.inFlight() > 0 || s.bytesHeld() > 0) && System.nanoTime() < end) {
      Thread.sleep(20);
      s = p.snapshot();
    }
    return s;
  }

  private static Parity parity(String route) {
    return gateway.runtime().parities().stream().filter(p -> p.snapshot().route().endsWith(" " + route)).findFirst()
        .orElseThrow(() -> new AssertionError("no parity for " + route));
  }

  /** Nothing is held over every route once the routes' copies have ended (the others' may still run). */
  private static void assertTotalIsZero() throws InterruptedException {
    ShadowBudget total = gateway.shared().shadowBudget();
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while ((total.inFlight() > 0 || total.bytesHeld() > 0) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(total.inFlight()).isZero();
    assertThat(total.bytesHeld()).isZero();
  }

  /** Reads each body to its end and answers "ok"; the mirror answers /bigger with 300 KB instead. */
  private static Undertow answering(boolean mirror) {
    Undertow u = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(ex -> ex.getRequestReceiver()
        .receivePartialBytes((e, chunk, last) -> {
          if (last && mirror && e.getRequestPath().equals("/answered/left")) {
            mirrorSawLeft.incrementAndGet();
          }
          if (last) {
            e.getResponseSender().send(mirror && e.getRequestPath().startsWith("/bigger") ? "y".repeat(300_000) : "ok");
          }
        })).build();
    u.start();
    return u;
  }

  private static int port(Undertow u) {
    return ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
  }
}
