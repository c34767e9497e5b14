package dev.ficus.samples.http;

import dev.ficus.samples.http.internal.RequestCounter;
import dev.ficus.samples.http.internal.SampleServer;
import io.undertow.server.HttpHandler;
import java.util.Map;

/**
 * What the HTTP samples share: an Undertow server on one port and per-endpoint request
 * counters that tests read. A subclass creates its handler chain with {@link #counter} and
 * calls {@link #listen} once from its constructor. Thread-safe; {@link #close()} frees the port
 * and is idempotent.
 *
 * @param <E> the sample's endpoints
 */
public abstract class CountedSample<E extends Enum<E>> implements AutoCloseable {
  /** Counts requests per endpoint; wrap each endpoint's handler with it. */
  protected final RequestCounter<E> counter;
  private SampleServer server;

  protected CountedSample(Class<E> endpoints) {
    this.counter = new RequestCounter<>(endpoints);
  }

  /** Binds {@code host:port} (0: any free port) and serves {@code root}; call once. */
  protected final void listen(String host, int port, HttpHandler root) {
    this.server = SampleServer.start(host, port, root);
  }

  /** {@code http://host:port}, without a trailing slash. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** The port actually bound. */
  public int port() {
    return server.port();
  }

  /** The requests that reached {@code endpoint} since start or the last reset. */
  public long requestCount(E endpoint) {
    return counter.count(endpoint);
  }

  /** A snapshot of every endpoint's count, zeros included, in declaration order. */
  public Map<E, Long> requestCounts() {
    return counter.snapshot();
  }

  /** Requests that matched no endpoint (404) or used another method (405). */
  public long unmatchedRequests() {
    return counter.unmatched();
  }

  /** Every request received, matched or not. */
  public long totalRequests() {
    return counter.total();
  }

  /** Sets every count to zero. */
  public void resetRequestCounts() {
    counter.reset();
  }

  @Override
  public void close() {
    server.close();
  }
}
