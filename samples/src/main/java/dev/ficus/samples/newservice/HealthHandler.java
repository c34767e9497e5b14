package dev.ficus.samples.newservice;

import dev.ficus.samples.http.internal.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

/**
 * {@code GET /health}: {@code {"status":"UP"}} while the server runs, whatever the delay and
 * failure settings. Runs on the IO thread.
 */
final class HealthHandler implements HttpHandler {

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    Json.send(exchange, StatusCodes.OK, Json.object().put("status", "UP"));
  }
}
