package dev.ficus.samples.monolith;

import dev.ficus.samples.http.internal.ErrorJson;
import dev.ficus.samples.http.internal.Json;
import dev.ficus.samples.http.internal.Requests;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

/**
 * {@code GET /api/orders/{orderId}}: one order by its numeric or UUID id (UUIDs match in any
 * letter case); 404 when there is no such order. Runs on the IO thread.
 */
final class OrderHandler implements HttpHandler {

  private final OrderBook orders;

  OrderHandler(OrderBook orders) {
    this.orders = orders;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String id = Requests.pathParam(exchange, "orderId");
    orders.find(id).ifPresentOrElse(
        order -> Json.send(exchange, StatusCodes.OK, order.toJson()),
        () -> ErrorJson.send(exchange, StatusCodes.NOT_FOUND, "no order with id " + id));
  }
}
