package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ficus.testing.GatewayProcess;
import dev.ficus.testing.WellBehavedClients;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration guide's promise under load: a shadow target that accepts connections and never
 * answers changes nothing for the clients. A gateway with a 256 MB heap, in its own JVM, copies
 * 900 KB POSTs from 16 clients to a black hole for 12 s (5 min with {@code -Dficus.soak=true}),
 * once for a hole that never reads and once for one that reads and discards, while ordinary
 * clients call a route without a shadow; the copies must stay within the shadow budget (dropped
 * and counted beyond it), give every byte back once they time out, and leave a gateway that still
 * answers and stops on SIGTERM. Halfway through, the heap the gateway uses after a full GC is
 * printed beside the copies in flight and the bytes they hold (the figures in
 * docs/performance.md).
 */
class ShadowBlackHoleLoadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BODY = 900 * 1024;
  private static final int BIG_CLIENTS = 16;
  private static final boolean SOAK = Boolean.getBoolean("ficus.soak");
  private static final Duration LOAD = SOAK ? Duration.ofMinutes(5) : Duration.ofSeconds(12);
  /** The most big-body requests in one run (the load ends at whichever bound comes first). */
  private static final int MAX_BIG = SOAK ? 1_000_000 : 100_000;
  private static final HttpClient ADMIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;
  Undertow primary;
  int adminPort;

  @BeforeEach
  void startPrimary() {
    // Reads every body to its end and answers: the primary is healthy, only the shadow is not.
    primary = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(ex -> ex.getRequestReceiver()
        .receivePartialBytes((e, chunk, last) -> {
          if (last) {
            e.getResponseSender().send("ok");
          }
        })).build();
    primary.start();
  }

  @AfterEach
  void stopPrimary() {
    primary.stop();
  }

  @Test
  void aShadowTargetThatNeverReadsCostsTheClientsNothing() throws Exception {
    try (BlackHoleTarget hole = new BlackHoleTarget(BlackHoleTarget.Mode.NEVER_READS)) {
      runAgainst(hole);
    }
  }

  @Test
  void aShadowTargetThatReadsEverythingAndNeverAnswersCostsTheClientsNothing() throws Exception {
    try (BlackHoleTarget hole = new BlackHoleTarget(BlackHoleTarget.Mode.READS_AND_DISCARDS)) {
      runAgainst(hole);
    }
  }

  private void runAgainst(BlackHoleTarget hole) throws Exception {
    adminPort = GatewayProcess.freePort();
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        admin: { listen: 127.0.0.1:%d }
        upstreams:
          primary: { url: http://127.0.0.1:%d }
          hole: { url: http://127.0.0.1:%d, timeout: 2s }
        routes:
          - path: /big/**
            to: primary
            shadow: { to: hole, unsafeMethods: true }
          - path: /plain/**
            to: primary
        """.formatted(adminPort, port(primary), hole.port()));
    try (GatewayProcess gateway = GatewayProcess.start(dir, "256m")) {
      AtomicInteger bigSent = new AtomicInteger();
      AtomicInteger bigOk = new AtomicInteger();
      long idleHeap = heapUsedAfterGc(gateway.pid());
      List<Thread> big = bigBodyClients(gateway.baseUrl() + "/big/orders", bigSent, bigOk);
      java.util.concurrent.atomic.AtomicLong halfwayArrays = new java.util.concurrent.atomic.AtomicLong(-1);
      Thread probe = new Thread(() -> {
        try {
          Thread.sleep(LOAD.toMillis() / 2);
          JsonNode n = route(parity(), "/big/**");
          long arrays = liveByteArrays(gateway.pid());
          halfwayArrays.set(arrays);
          long heap = heapUsedAfterGc(gateway.pid());
          System.out.printf("halfway, black hole %s: %d copies in flight holding %d KB; live byte arrays %d MB;"
              + " heap used after GC %d MB (%d MB before the load)%n", hole.mode(), n.path("inFlight").asLong(),
              n.path("bytesHeld").asLong() / 1024, arrays >> 20, heap >> 20, idleHeap >> 20);
        } catch (Exception e) {
          System.out.println("no halfway figures: " + e);
        }
      }, "heap-probe");
      probe.setDaemon(true);
      probe.start();
      WellBehavedClients.Outcome others = WellBehavedClients.run(gateway.baseUrl() + "/plain/health", 200, 4, LOAD,
          2 * MAX_BIG, Duration.ofSeconds(5));
      for (Thread t : big) {
        t.join(Duration.ofSeconds(20).toMillis());
      }
      int bigTotal = Math.min(bigSent.get(), MAX_BIG);
      probe.join(Duration.ofSeconds(10).toMillis());
      System.out.printf("black hole %s: others %s; big-body clients %d of %d; black hole saw %d connections%n",
          hole.mode(), others, bigOk.get(), bigTotal, hole.connections.get());
      assertThat(gateway.isAlive()).as("the gateway died:%n%s", tail(gateway.log())).isTrue();
      JsonNode during = route(parity(), "/big/**");
      System.out.println("parity: " + during);
      assertThat(others.successRate()).as("ordinary clients beside the black hole: %s", others).isGreaterThanOrEqualTo(0.95);
      assertThat(bigOk.get()).as("the shadowed clients' own answers").isGreaterThanOrEqualTo((int) (bigTotal * 0.95));
      assertThat(during.path("dropped").asLong()).as("copies dropped over the budget").isPositive();
      // The default budget is 32 MB; the rest of the gateway's live byte arrays take a few MB.
      assertThat(halfwayArrays.get()).as("live byte arrays halfway through the load").isBetween(0L, 64L << 20);
      // Every copy gives its bytes and its slot back once it has timed out (2 s).
      JsonNode after = awaitIdle("/big/**", Duration.ofSeconds(15));
      assertThat(after.path("inFlight").asLong()).as("copies still in flight: %s", after).isZero();
      assertThat(after.path("bytesHeld").asLong()).as("bytes still held: %s", after).isZero();
      long start = System.nanoTime();
      assertThat(gateway.terminate(10)).as("the gateway ends within 10 s of SIGTERM").isTrue();
      System.out.printf("SIGTERM to exit: %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** 16 clients sending 900 KB POSTs one after the other for the load's duration (at most {@link #MAX_BIG} in all). */
  private static List<Thread> bigBodyClients(String url, AtomicInteger sent, AtomicInteger ok) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    byte[] body = new byte[BODY];
    java.util.Arrays.fill(body, (byte) 'x');
    long end = System.nanoTime() + LOAD.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < BIG_CLIENTS; i++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end && sent.incrementAndGet() <= MAX_BIG) {
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
              ok.incrementAndGet();
            }
          } catch (Exception e) {
            // counted as a failure: sent but not ok
          }
        }
      }, "big-body-client-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    return threads;
  }

  private JsonNode parity() throws Exception {
    HttpResponse<String> r = ADMIN.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
        + "/migration/parity")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode route(JsonNode parity, String path) {
    for (JsonNode n : parity) {
      if (n.path("route").asText().endsWith(path)) {
        return n;
      }
    }
    throw new AssertionError("no parity for " + path + " in " + parity);
  }

  private JsonNode awaitIdle(String path, Duration max) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    JsonNode n = route(parity(), path);
    while (System.nanoTime() < end && (n.path("inFlight").asLong() != 0 || n.path("bytesHeld").asLong() != 0)) {
      Thread.sleep(100);
      n = route(parity(), path);
    }
    return n;
  }

  /**
   * The gateway's heap in use right after a full GC, by {@code jcmd} (the JDK's own tool, run
   * against the process this test started): what the live objects, copies included, take.
   */
  private static long heapUsedAfterGc(long pid) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    run(jcmd, Long.toString(pid), "GC.run");
    String info = run(jcmd, Long.toString(pid), "GC.heap_info");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
    if (!m.find()) {
      throw new AssertionError("no heap figure in " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /** The bytes of the live {@code byte[]} in the gateway, from a class histogram (itself a full GC). */
  private static long liveByteArrays(long pid) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+\\[B ")
        .matcher(run(jcmd, Long.toString(pid), "GC.class_histogram"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out;
  }

  private static String tail(String log) {
    return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
  }

  private static int port(Undertow u) {
    return ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
  }
}
