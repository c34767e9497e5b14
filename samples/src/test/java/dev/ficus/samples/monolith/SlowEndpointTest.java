package dev.ficus.samples.monolith;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.http.Http;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SlowEndpointTest {

  private static LegacyMonolith monolith;
  private static String base;

  @BeforeAll
  static void start() {
    monolith = LegacyMonolith.start("127.0.0.1", 0);
    base = monolith.baseUrl();
  }

  @AfterAll
  static void stop() {
    monolith.close();
  }

  @Test
  void slowAnswersAfterTheAskedTime() {
    long started = System.nanoTime();
    HttpResponse<String> response = Http.get(base + "/slow?ms=250");
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(response.body()).isEqualTo("{\"sleptMs\":250}");
    assertThat(tookMillis).isGreaterThanOrEqualTo(250);
  }

  /**
   * Twelve slow requests outnumber the server's 2 IO and 4 worker threads: if a wait held a
   * thread, the health check would queue behind them and they would finish in three or more
   * turns (at least 4.5 s). Only bounds that hold on a busy machine are asserted.
   */
  @Test
  void slowRequestsHoldNoThread() throws Exception {
    long started = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      slow.add(Http.CLIENT.sendAsync(Http.request(base + "/slow?ms=1500").build(),
          BodyHandlers.ofString()));
    }
    Thread.sleep(200);
    HttpResponse<String> health = Http.get(base + "/health");
    boolean slowStillPending = slow.stream().noneMatch(CompletableFuture::isDone);
    CompletableFuture.allOf(slow.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    long allMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(slowStillPending).isTrue();
    assertThat(slow).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
    assertThat(allMillis).isBetween(1500L, 4000L);
  }

  @Test
  void slowNeedsABoundedMillisecondCount() {
    assertThat(Http.get(base + "/slow").statusCode()).isEqualTo(400);
    assertThat(Http.get(base + "/slow?ms=soon").statusCode()).isEqualTo(400);
    assertThat(Http.get(base + "/slow?ms=60001").statusCode()).isEqualTo(400);
  }
}
