package dev.ficus.samples.monolith;

import dev.ficus.samples.customers.CustomerRecord;
import dev.ficus.samples.customers.SeedCustomers;
import dev.ficus.samples.http.internal.CustomerJson;
import dev.ficus.samples.http.internal.ErrorJson;
import dev.ficus.samples.http.internal.Json;
import dev.ficus.samples.http.internal.Requests;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.Optional;

/**
 * {@code GET /api/customers/{id}}: the legacy answer for a seed customer, rendered by
 * {@link CustomerJson}; 400 for an id that is not a number, 404 for an unknown one.
 * Runs on the IO thread.
 */
final class CustomerHandler implements HttpHandler {

  @Override
  public void handleRequest(HttpServerExchange exchange) {
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
    Json.send(exchange, StatusCodes.OK, CustomerJson.render(customer.get()));
  }
}
