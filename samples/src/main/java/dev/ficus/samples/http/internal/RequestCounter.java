package dev.ficus.samples.http.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests that reached each endpoint of a sample, and those that matched none.
 * A request is counted when it arrives, before it is answered, so a test that has its answer
 * sees it counted. Thread-safe.
 *
 * @param <E> the sample's endpoint enum
 */
public final class RequestCounter<E extends Enum<E>> {

  private final Class<E> endpoints;
  private final Map<E, LongAdder> counts;
  private final LongAdder unmatched = new LongAdder();

  public RequestCounter(Class<E> endpoints) {
    this.endpoints = endpoints;
    this.counts = new EnumMap<>(endpoints);
    for (E endpoint : endpoints.getEnumConstants()) {
      counts.put(endpoint, new LongAdder());
    }
  }

  /** A handler that counts a request for {@code endpoint}, then calls {@code next}. */
  public HttpHandler counting(E endpoint, HttpHandler next) {
    LongAdder count = counts.get(endpoint);
    return exchange -> {
      count.increment();
      next.handleRequest(exchange);
    };
  }

  /** A handler that counts a request that matched no endpoint, then calls {@code next}. */
  public HttpHandler countingUnmatched(HttpHandler next) {
    return (HttpServerExchange exchange) -> {
      unmatched.increment();
      next.handleRequest(exchange);
    };
  }

  public long count(E endpoint) {
    return counts.get(endpoint).sum();
  }

  /** A snapshot of every endpoint's count, zeros included, in declaration order. */
  public Map<E, Long> snapshot() {
    Map<E, Long> snapshot = new EnumMap<>(endpoints);
    counts.forEach((endpoint, count) -> snapshot.put(endpoint, count.sum()));
    return Collections.unmodifiableMap(snapshot);
  }

  public long unmatched() {
    return unmatched.sum();
  }

  /** Every request counted, matched or not. */
  public long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum() + unmatched.sum();
  }

  /** Sets every count to zero; requests in flight may be counted either side of the reset. */
  public void reset() {
    counts.values().forEach(LongAdder::reset);
    unmatched.reset();
  }
}
