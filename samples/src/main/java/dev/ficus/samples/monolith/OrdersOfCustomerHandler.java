package dev.ficus.samples.monolith;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ficus.samples.customers.SeedCustomers;
import dev.ficus.samples.http.internal.ErrorJson;
import dev.ficus.samples.http.internal.Json;
import dev.ficus.samples.http.internal.Requests;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

/**
 * {@code GET /api/orders?customer=ID}: the customer's orders, oldest first, as a bare JSON
 * array ({@code []} when there are none); 400 without a numeric {@code customer}, 404 for an
 * unknown customer. Runs on the IO thread.
 */
final class OrdersOfCustomerHandler implements HttpHandler {

  private final OrderBook orders;

  OrdersOfCustomerHandler(OrderBook orders) {
    this.orders = orders;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String text = Requests.queryParam(exchange, "customer");
    Long customerId = Requests.nonNegativeLong(text);
    if (customerId == null) {
      ErrorJson.send(exchange, StatusCodes.BAD_REQUEST,
          "query parameter customer must be a customer id, got " + Requests.quoted(text));
      return;
    }
    if (SeedCustomers.find(customerId).isEmpty()) {
      ErrorJson.send(exchange, StatusCodes.NOT_FOUND, "no customer with id " + customerId);
      return;
    }
    ArrayNode list = Json.MAPPER.createArrayNode();
    orders.ofCustomer(customerId).forEach(order -> list.add(order.toJson()));
    Json.send(exchange, StatusCodes.OK, list);
  }
}
