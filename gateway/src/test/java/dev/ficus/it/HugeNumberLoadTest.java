package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.samples.soap.SoapSamples;
import dev.ficus.testing.GatewayProcess;
import dev.ficus.testing.WellBehavedClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway in its own JVM at {@code -Xmx256m} keeps answering ordinary clients (an rpc/literal
 * SOAP call on the real CXF calculator) while hostile clients send a stream of numbers that are
 * short to write and huge to expand — {@code 1e999999999}, {@code 1e-999999999}, 1000-digit
 * tokens, 100,000-digit decimal strings — to a SOAP route (the CXF echo service) and a gRPC
 * route (the grpc-java inventory sample). Every hostile request must be a 400, the process must
 * stay up, and at least 95 % of the ordinary requests must succeed.
 *
 * <p>About 16 s; {@code -Dficus.soak=true} runs the load for 120 s. The figures (answer rates,
 * the gateway's peak resident memory) are printed for docs/performance.md.
 */
class HugeNumberLoadTest {
  private static final boolean SOAK = Boolean.getBoolean("ficus.soak");
  private static final Duration LOAD = SOAK ? Duration.ofSeconds(120) : Duration.ofSeconds(15);
  private static final int MAX_HOSTILE = SOAK ? 2_000_000 : 200_000;
  private static final int HOSTILE_CLIENTS = 4;
  /** An ordinary request fails when not answered within the route's own backend timeout. */
  private static final Duration ORDINARY_TIMEOUT = Duration.ofSeconds(5);
  private static final List<String[]> HOSTILE = List.of(
      new String[] {"/api/echo", "{\"text\":\"t\",\"count\":1,\"price\":1e999999999}"},
      new String[] {"/api/echo", "{\"text\":\"t\",\"count\":1,\"price\":-1E-999999999}"},
      new String[] {"/api/echo", "{\"text\":\"t\",\"count\":1,\"price\":" + "9".repeat(1000) + "}"},
      new String[] {"/api/echo", "{\"text\":\"t\",\"count\":1,\"price\":\"" + "1".repeat(100_000) + "\"}"},
      new String[] {"/api/echo", "{\"text\":\"t\",\"count\":1,\"big\":\"9e999999999\",\"ratio\":2e999999999}"},
      new String[] {"/v1/warehouses/main/items/hammer:reserve", "{\"quantity\":\"1e999999999\"}"},
      new String[] {"/v1/warehouses/main/items/hammer:reserve", "{\"quantity\":1e999999999}"},
      new String[] {"/v1/warehouses/main/items/hammer:reserve", "{\"quantity\":\"" + "7".repeat(100_000) + "\"}"});

  @TempDir
  static Path config;

  private static SoapSamples soap;
  private static InventorySample grpc;
  private static GatewayProcess gateway;

  @BeforeAll
  static void start() throws IOException {
    soap = SoapSamples.start(Loopback.HOST, Loopback.freePort(), "unused");
    grpc = InventorySample.start(Loopback.HOST, 0);
    Path proto = Path.of("..", "proto").toAbsolutePath().normalize();
    ConfigFiles.write(config, "gateway.yaml", """
        ficus: gateway/v1
        defaults:
          timeout: 5s
        """);
    ConfigFiles.write(config, "soap.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: POST /api/echo
            call: echo
            request: body
        """.formatted(ConfigFiles.wsdl("echo.wsdl"), soap.echoUrl()));
    ConfigFiles.write(config, "calculator.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: GET /api/add
            call: add
            request: {a: query.a, b: query.b}
            response: {select: result}
        """.formatted(ConfigFiles.wsdl("calculator.wsdl"), soap.calculatorUrl()));
    ConfigFiles.write(config, "inventory.yaml", """
        ficus: mapping/v1
        backend:
          grpc:
            target: %s
            proto: "%s"
        """.formatted(grpc.target(), proto.resolve("inventory.proto")));
    gateway = GatewayProcess.start(config, "256m");
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (grpc != null) {
      grpc.close();
    }
    if (soap != null) {
      soap.close();
    }
  }

  @Test
  void ordinaryClientsAreAnsweredWhileHugeNumbersStreamIntoSoapAndGrpcRoutes() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    // Both hostile routes work, and refuse: a 400 at the member, never a 500 or a hang.
    for (String[] h : HOSTILE) {
      HttpResponse<String> r = post(http, h[0], h[1]);
      assertThat(r.statusCode()).as("%s %s", h[0], r.body()).isEqualTo(400);
    }
    assertThat(post(http, "/v1/warehouses/main/items/hammer:reserve", "{\"quantity\":\"1\"}").statusCode())
        .isEqualTo(200);
    // Warm the ordinary route (connections, JIT) so that the rate measures the load, not the start.
    WellBehavedClients.run(gateway.baseUrl() + "/api/add?a=2&b=3", 200, 2, Duration.ofSeconds(1), 50,
        Duration.ofSeconds(5));

    long end = System.nanoTime() + LOAD.toNanos();
    AtomicInteger sent = new AtomicInteger();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    AtomicLong peakRss = new AtomicLong();
    List<Thread> hostile = new ArrayList<>();
    for (int i = 0; i < HOSTILE_CLIENTS; i++) {
      int offset = i;
      Thread t = new Thread(() -> {
        int n = offset;
        while (System.nanoTime() < end && sent.incrementAndGet() <= MAX_HOSTILE) {
          String[] h = HOSTILE.get(n++ % HOSTILE.size());
          try {
            int status = post(http, h[0], h[1]).statusCode();
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
          } catch (Exception e) {
            failures.incrementAndGet();
          }
        }
      }, "hostile-" + i);
      t.setDaemon(true);
      t.start();
      hostile.add(t);
    }
    Thread sampler = new Thread(() -> {
      while (System.nanoTime() < end) {
        peakRss.accumulateAndGet(rssKb(gateway.pid()), Math::max);
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();

    WellBehavedClients.Outcome ordinary = WellBehavedClients.run(gateway.baseUrl() + "/api/add?a=2&b=3", 200, 4,
        LOAD, 1_000_000, ORDINARY_TIMEOUT);
    for (Thread t : hostile) {
      t.join(Duration.ofSeconds(10).toMillis());
    }
    sampler.interrupt();

    int hostileSent = Math.min(sent.get(), MAX_HOSTILE);
    System.out.printf("HugeNumberLoadTest: %d s at -Xmx256m; hostile: %d sent (%.0f/s), statuses %s, %d failed; "
            + "ordinary: %s (%.1f %%, %.0f/s); gateway peak RSS %d MB%n", LOAD.toSeconds(), hostileSent,
        hostileSent / (double) LOAD.toSeconds(), statuses, failures.get(), ordinary, 100 * ordinary.successRate(),
        ordinary.sent() / (double) LOAD.toSeconds(), peakRss.get() / 1024);
    assertThat(gateway.isAlive()).as("the gateway is up; its log:\n%s", gateway.log()).isTrue();
    assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
    assertThat(ordinary.successRate()).as("ordinary clients: %s", ordinary).isGreaterThanOrEqualTo(0.95);
    assertThat(statuses.keySet()).as("every hostile request is refused with 400 (%s)", statuses).containsOnly(400);
    assertThat(statuses.get(400).get()).as("hostile requests answered").isGreaterThan(100);
  }

  private static HttpResponse<String> post(HttpClient http, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The resident set of process {@code pid} in KB (Linux /proc), or 0 when unknown. */
  private static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone: the assertions on liveness say what matters
    }
    return 0;
  }
}
