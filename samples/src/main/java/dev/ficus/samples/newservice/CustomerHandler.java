package dev.ficus.samples.newservice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.samples.customers.CustomerRecord;
import dev.ficus.samples.customers.SeedCustomers;
import dev.ficus.samples.http.internal.CustomerJson;
import dev.ficus.samples.http.internal.Delays;
import dev.ficus.samples.http.internal.ErrorJson;
import dev.ficus.samples.http.internal.Json;
import dev.ficus.samples.http.internal.Requests;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /api/customers/{id}} of the new service: the monolith's answer, but with
 * {@code loyaltyPoints} one higher for customer
 * {@value NewCustomerService#DIVERGENT_CUSTOMER_ID}. Waits for the current delay (a timer),
 * then answers 500 while failing. Runs on the IO thread.
 */
final class CustomerHandler implements HttpHandler {

  private final Supplier<Duration> delay;
  private final BooleanSupplier failing;

  CustomerHandler(Supplier<Duration> delay, BooleanSupplier failing) {
    this.delay = delay;
    this.failing = failing;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    Delays.after(exchange, delay.get().toMillis(), this::answer);
  }

  private void answer(HttpServerExchange exchange) {
    if (failing.getAsBoolean()) {
      ErrorJson.send(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "failure injected for tests");
      return;
    }
    String text = Requests.pathParam(exchange, "id");
    Long id = Requests.nonNegativeLong(text);
    if (id == null) {
      ErrorJson.send(exchange, StatusCodes.BAD_REQUEST,
          "customer id must be a number, got '" + text + "'");
      return;
    }
    Optional<CustomerRecord> customer = SeedCustomers.find(id);
    if (customer.isEmpty()) {
      ErrorJson.send(exchange, StatusCodes.NOT_FOUND, "no customer with id " + id);
      return;
    }
    ObjectNode json = CustomerJson.render(customer.get());
    if (id == NewCustomerService.DIVERGENT_CUSTOMER_ID) {
      json.put("loyaltyPoints", customer.get().loyaltyPoints() + 1);
    }
    Json.send(exchange, StatusCodes.OK, json);
  }
}
