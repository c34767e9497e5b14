package dev.ficus.samples.newservice;

import dev.ficus.samples.http.CountedSample;
import dev.ficus.samples.http.internal.ErrorJson;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.SetHeaderHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The new customer service that {@code GET /api/customers/{id}} is migrated to, on its own
 * Undertow HTTP/1.1 port; it also serves {@code GET /health} ({@code {"status":"UP"}}).
 *
 * <p>It answers exactly like the legacy monolith (same JSON members and order, same status
 * codes and error bodies, same {@code Content-Type}) with one deliberate difference: for
 * customer {@value #DIVERGENT_CUSTOMER_ID}, {@code loyaltyPoints} is one more than the
 * monolith says (36 instead of 35), the kind of bug a points migration leaves. A shadow
 * comparison over ids 1..6 thus finds 5 of 6 equal and one readable diff. Its {@code Server}
 * header is {@value #SERVER}.
 *
 * <p>For tests, {@link #setDelay} holds every customer answer back (a timer on the IO thread,
 * no thread blocked) and {@link #setFailing} turns every customer answer into a 500; neither
 * touches {@code /health}. Requests are counted per endpoint as they arrive. Thread-safe;
 * {@link #close()} frees the port and is idempotent.
 */
public final class NewCustomerService extends CountedSample<NewCustomerService.Endpoint> {

  /** The {@code Server} header of every response. */
  public static final String SERVER = "new-customer-service/1.0";

  /** The one customer whose answer differs from the monolith's. */
  public static final long DIVERGENT_CUSTOMER_ID = 3;

  /** What the service serves: a routing template, all GET. */
  public enum Endpoint {
    /** A seed customer as JSON; 404 for another id, 400 for a non-numeric one. */
    CUSTOMER("/api/customers/{id}"),
    /** {@code {"status":"UP"}}. */
    HEALTH("/health");

    private final String template;

    Endpoint(String template) {
      this.template = template;
    }

    /** The Undertow path template, e.g. {@code /api/customers/{id}}. */
    public String template() {
      return template;
    }
  }

  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private final AtomicBoolean failing = new AtomicBoolean();
  private NewCustomerService(String host, int port) {
    super(Endpoint.class);
    listen(host, port, handler());
  }

  /**
   * Starts the service on {@code http://host:port}, with no delay and not failing, and
   * returns once it accepts connections.
   *
   * @param port a TCP port, or 0 for any free port
   * @throws RuntimeException when the port cannot be bound
   */
  public static NewCustomerService start(String host, int port) {
    return new NewCustomerService(host, port);
  }

  /** The whole request pipeline, in one place; reads only the fields set at declaration. */
  private HttpHandler handler() {
    RoutingHandler routes = new RoutingHandler(false)
        .get(Endpoint.CUSTOMER.template(), counter.counting(Endpoint.CUSTOMER,
            new CustomerHandler(delay::get, failing::get)))
        .get(Endpoint.HEALTH.template(), counter.counting(Endpoint.HEALTH, new HealthHandler()));
    routes.setFallbackHandler(counter.countingUnmatched(
        exchange -> ErrorJson.send(exchange, StatusCodes.NOT_FOUND, "no such page")));
    routes.setInvalidMethodHandler(counter.countingUnmatched(
        exchange -> ErrorJson.send(exchange, StatusCodes.METHOD_NOT_ALLOWED,
            exchange.getRequestMethod() + " is not supported here")));
    return new SetHeaderHandler(routes, Headers.SERVER_STRING, SERVER);
  }

  /**
   * Delays every later customer answer (successes, errors and injected failures alike) by
   * {@code delay}; {@link Duration#ZERO} turns the delay off.
   *
   * @throws IllegalArgumentException for a negative delay or one over a minute
   */
  public void setDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("delay must be 0..1 min, got " + delay);
    }
    this.delay.set(delay);
  }

  public Duration delay() {
    return delay.get();
  }

  /**
   * While {@code true}, every customer request gets 500 with the usual error body
   * ({@code "message":"failure injected for tests"}), after the delay if one is set.
   */
  public void setFailing(boolean failing) {
    this.failing.set(failing);
  }

  public boolean isFailing() {
    return failing.get();
  }
}
