package dev.ficus.samples.http;

import dev.ficus.samples.RunningSample;
import dev.ficus.samples.monolith.LegacyMonolith;
import dev.ficus.samples.newservice.NewCustomerService;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sample HTTP systems of the strangler-fig story, each on its own port:
 * the {@link LegacyMonolith} that everything not yet migrated is routed to, and the
 * {@link NewCustomerService} that {@code GET /api/customers/{id}} moves to.
 *
 * <p>Thread-safe; {@link #close()} stops both and frees their ports, and is idempotent.
 */
public final class HttpSamples implements RunningSample {

  private final LegacyMonolith monolith;
  private final NewCustomerService newCustomers;

  private HttpSamples(LegacyMonolith monolith, NewCustomerService newCustomers) {
    this.monolith = monolith;
    this.newCustomers = newCustomers;
  }

  /**
   * Starts both systems on {@code host} and returns once both accept connections.
   *
   * @param monolithPort   the monolith's port, or 0 for any free port
   * @param newServicePort the new customer service's port, or 0 for any free port
   * @throws IllegalArgumentException for a port outside 0..65535
   * @throws RuntimeException         when a port cannot be bound; nothing is left running
   */
  public static HttpSamples start(String host, int monolithPort, int newServicePort) {
    LegacyMonolith monolith = LegacyMonolith.start(host, monolithPort);
    try {
      return new HttpSamples(monolith, NewCustomerService.start(host, newServicePort));
    } catch (RuntimeException e) {
      monolith.close();
      throw e;
    }
  }

  /** The legacy monolith, for its request counts. */
  public LegacyMonolith monolith() {
    return monolith;
  }

  /** The new customer service, for its delay, failure mode and request counts. */
  public NewCustomerService newCustomers() {
    return newCustomers;
  }

  /** The monolith's base URL, e.g. {@code http://127.0.0.1:7103} (no trailing slash). */
  public String monolithUrl() {
    return monolith.baseUrl();
  }

  /** The new customer service's base URL, e.g. {@code http://127.0.0.1:7104}. */
  public String newCustomersUrl() {
    return newCustomers.baseUrl();
  }

  /** {@code http.monolith} then {@code http.new-customers}, each a base URL. */
  @Override
  public Map<String, String> urls() {
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("http.monolith", monolithUrl());
    urls.put("http.new-customers", newCustomersUrl());
    return Collections.unmodifiableMap(urls);
  }

  @Override
  public void close() {
    try {
      newCustomers.close();
    } finally {
      monolith.close();
    }
  }
}
