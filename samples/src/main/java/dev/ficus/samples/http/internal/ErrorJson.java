package dev.ficus.samples.http.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

/**
 * The error body both HTTP samples send, in the style of an older Java web stack:
 * {@code {"status":404,"error":"Not Found","message":"...","path":"/api/customers/42"}}.
 * The new customer service keeps the monolith's error contract, so only its deliberate
 * difference shows in a shadow comparison. Stateless.
 */
public final class ErrorJson {

  private ErrorJson() {
  }

  /** Sends the error and ends the exchange; does not block. */
  public static void send(HttpServerExchange exchange, int status, String message) {
    Json.send(exchange, status, Json.object()
        .put("status", status)
        .put("error", StatusCodes.getReason(status))
        .put("message", message)
        .put("path", exchange.getRequestPath()));
  }
}
