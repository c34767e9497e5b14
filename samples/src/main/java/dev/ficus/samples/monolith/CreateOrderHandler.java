package dev.ficus.samples.monolith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.customers.SeedCustomers;
import dev.ficus.samples.http.internal.ErrorJson;
import dev.ficus.samples.http.internal.Json;
import dev.ficus.samples.monolith.Order.Item;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/orders} with a JSON body
 * {@code {"customerId":1,"currency":"GBP","items":[{"sku":"BK-0042","name":"…","quantity":1,
 * "unitPrice":12.99}]}} ({@code currency} defaults to GBP, {@code name} to the sku): 201 with
 * the order and {@code Location: http://<Host header>/api/orders/<uuid>}, built from the
 * request's own Host header as legacy stacks do (a proxy that changes Host must rewrite it).
 *
 * <p>415 unless the body is {@code application/json}, 413 above {@value #MAX_BODY} bytes, 400
 * for a malformed or invalid order (the message names the member), 422 for an unknown
 * customer. The body is collected without blocking; runs on the IO thread.
 */
final class CreateOrderHandler implements HttpHandler {

  static final int MAX_BODY = 64 * 1024;

  private final OrderBook orders;

  CreateOrderHandler(OrderBook orders) {
    this.orders = orders;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith(Json.APPLICATION_JSON)) {
      ErrorJson.send(exchange, StatusCodes.UNSUPPORTED_MEDIA_TYPE,
          "orders are placed with an application/json body");
      return;
    }
    Receiver receiver = exchange.getRequestReceiver();
    receiver.setMaxBufferSize(MAX_BODY);
    receiver.receiveFullBytes(this::place, CreateOrderHandler::failed);
  }

  private void place(HttpServerExchange exchange, byte[] body) {
    OrderRequest request;
    try {
      request = OrderRequest.parse(Json.MAPPER.readTree(body));
    } catch (JsonProcessingException e) {
      ErrorJson.send(exchange, StatusCodes.BAD_REQUEST,
          "the body is not JSON: " + e.getOriginalMessage());
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("reading JSON from a byte array", e);
    } catch (IllegalArgumentException e) {
      ErrorJson.send(exchange, StatusCodes.BAD_REQUEST, e.getMessage());
      return;
    }
    if (SeedCustomers.find(request.customerId()).isEmpty()) {
      ErrorJson.send(exchange, StatusCodes.UNPROCESSABLE_ENTITY,
          "no customer with id " + request.customerId());
      return;
    }
    Order order = orders.place(request.customerId(), request.currency(), request.items());
    exchange.getResponseHeaders().put(Headers.LOCATION, exchange.getRequestScheme() + "://"
        + exchange.getHostAndPort() + "/api/orders/" + order.id());
    Json.send(exchange, StatusCodes.CREATED, order.toJson());
  }

  private static void failed(HttpServerExchange exchange, IOException e) {
    if (e instanceof Receiver.RequestToLargeException) {
      ErrorJson.send(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE,
          "an order body is at most " + MAX_BODY + " bytes");
    } else {
      exchange.endExchange();
    }
  }

  /** A checked order request; {@link #parse} throws IllegalArgumentException naming the member. */
  private record OrderRequest(long customerId, String currency, List<Item> items) {

    static OrderRequest parse(JsonNode body) {
      if (!body.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      JsonNode customerId = body.get("customerId");
      if (customerId == null || !customerId.isIntegralNumber()
          || !customerId.canConvertToLong()) {
        throw new IllegalArgumentException("customerId must be an integer");
      }
      JsonNode currency = body.path("currency");
      if (!currency.isMissingNode()
          && !(currency.isTextual() && currency.asText().matches("[A-Z]{3}"))) {
        throw new IllegalArgumentException("currency must be a three-letter ISO 4217 code");
      }
      JsonNode items = body.get("items");
      if (items == null || !items.isArray() || items.isEmpty()) {
        throw new IllegalArgumentException("items must be a non-empty array");
      }
      List<Item> lines = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        lines.add(item(items.get(i), "items[" + i + "]"));
      }
      return new OrderRequest(customerId.longValue(),
          currency.isMissingNode() ? "GBP" : currency.asText(), lines);
    }

    private static Item item(JsonNode item, String where) {
      JsonNode sku = item.path("sku");
      if (!sku.isTextual() || sku.asText().isBlank()) {
        throw new IllegalArgumentException(where + ".sku must be a non-empty string");
      }
      JsonNode quantity = item.path("quantity");
      if (!quantity.isIntegralNumber() || quantity.asLong() < 1 || quantity.asLong() > 999) {
        throw new IllegalArgumentException(where + ".quantity must be an integer 1..999");
      }
      JsonNode unitPrice = item.path("unitPrice");
      if (!unitPrice.isNumber() || unitPrice.decimalValue().signum() < 0) {
        throw new IllegalArgumentException(where + ".unitPrice must be a number >= 0");
      }
      JsonNode name = item.path("name");
      if (!name.isMissingNode() && !name.isTextual()) {
        throw new IllegalArgumentException(where + ".name must be a string");
      }
      BigDecimal price = unitPrice.decimalValue();
      return new Item(sku.asText(), name.isMissingNode() ? sku.asText() : name.asText(),
          quantity.intValue(), price);
    }
  }
}
