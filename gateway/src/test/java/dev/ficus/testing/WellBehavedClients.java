package dev.ficus.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ordinary clients that keep calling one URL while a hostile load runs beside them: the measure
 * of "the gateway keeps answering other clients". Each of {@code clients} threads sends GETs one
 * after the other until {@code duration} has passed (and at most {@code maxRequests} in all), each
 * with a per-request timeout; a request succeeds when its status is the expected one.
 */
public final class WellBehavedClients {
  /** What the ordinary clients saw. */
  public record Outcome(int sent, int succeeded, List<String> failures) {
    public double successRate() {
      return sent == 0 ? 0 : (double) succeeded / sent;
    }

    @Override
    public String toString() {
      return succeeded + " of " + sent + " succeeded" + (failures.isEmpty() ? "" : "; first failures: " + failures);
    }
  }

  private WellBehavedClients() {}

  public static Outcome run(String url, int expectedStatus, int clients, Duration duration, int maxRequests,
      Duration requestTimeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(requestTimeout).build();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long end = System.nanoTime() + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end && sent.incrementAndGet() <= maxRequests) {
          try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == expectedStatus) {
              ok.incrementAndGet();
            } else if (failures.size() < 5) {
              failures.add("status " + r.statusCode());
            }
          } catch (Exception e) {
            if (failures.size() < 5) {
              failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
          }
        }
      }, "well-behaved-client-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(duration.plus(requestTimeout).plusSeconds(5).toMillis());
    }
    int total = Math.min(sent.get(), maxRequests);
    return new Outcome(total, ok.get(), List.copyOf(failures));
  }
}
