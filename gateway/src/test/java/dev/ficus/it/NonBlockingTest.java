package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.soap.SoapSamples;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls in flight are not capped by a worker pool. {@value #CALLS} calls go through the
 * gateway at once to the real CXF calculator, which holds each of them until
 * {@value #TOGETHER} are held together (a barrier: it only opens if the gateway really has
 * that many calls in flight, whatever the speed of the machine) and then for
 * {@value #DELAY_MS} ms. Loopback only; the number of calls is fixed.
 */
class NonBlockingTest {
  private static final int CALLS = 200;
  private static final int TOGETHER = 150;
  private static final long DELAY_MS = 300;
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir
  static Path config;

  private static SoapSamples samples;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), "unused");
    ConfigFiles.write(config, "calculator.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: GET /api/calculator/add
            call: add
            request: {a: query.a, b: query.b}
            response: {select: result}
          - route: GET /api/impatient/calculator/add
            call: add
            request: {a: query.a, b: query.b}
            response: {select: result}
            timeout: 100ms
        """.formatted(ConfigFiles.wsdl("calculator.wsdl"), samples.calculatorUrl()));
    gateway = GatewayUnderTest.start(config, Map.of());
    assertThat(gateway.get("/api/calculator/add?a=1&b=1").ok().intValue()).isEqualTo(2);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (samples != null) {
      samples.close();
    }
  }

  @AfterEach
  void releaseTheBackend() {
    samples.setResponseDelay(Duration.ZERO);
    samples.holdRequestsUntilConcurrent(0, Duration.ZERO);
  }

  /** Fires {@value #CALLS} calls at once, checks every sum, and returns how long all took. */
  private static Duration burst() throws Exception {
    long start = System.nanoTime();
    List<CompletableFuture<Reply>> calls = new ArrayList<>(CALLS);
    for (int i = 0; i < CALLS; i++) {
      calls.add(gateway.sendAsync("GET", "/api/calculator/add?a=" + i + "&b=1000", null, BodyPublishers.noBody()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    for (int i = 0; i < CALLS; i++) {
      JsonNode sum = calls.get(i).join().ok();
      assertThat(sum.intValue()).isEqualTo(i + 1000);
    }
    return took;
  }

  @Test
  void manyCallsToASlowBackendAreAllInFlightAtOnce() throws Exception {
    // Every call is held until TOGETHER are held at once (at most 2 × BOUND each), then for
    // DELAY_MS more. One after the other, the calls would take CALLS × DELAY_MS = 60 s; a
    // gateway that capped calls in flight below TOGETHER would never open the barrier.
    samples.holdRequestsUntilConcurrent(TOGETHER, BOUND.multipliedBy(2));
    samples.setResponseDelay(Duration.ofMillis(DELAY_MS));

    Duration took = burst();

    assertThat(samples.maxConcurrentRequests()).as("calls the backend held at the same time")
        .isGreaterThanOrEqualTo(TOGETHER);
    assertThat(took).as("%d calls of at least %d ms each; one after the other they take %d s",
        CALLS, DELAY_MS, CALLS * DELAY_MS / 1000).isLessThan(BOUND);
  }

  @Test
  void backendSlowerThanTheOperationTimeoutIs504() {
    samples.setResponseDelay(Duration.ofMillis(DELAY_MS));
    long start = System.nanoTime();

    JsonNode p = gateway.get("/api/impatient/calculator/add?a=1&b=2").problem(504, "gateway-timeout");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(DELAY_MS));
    assertThat(p.get("detail").textValue()).contains("100 ms");
  }
}
