package dev.ficus.migration;

import dev.ficus.routing.Router;
import dev.ficus.routing.RouterHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The route-table target {@code mapping}: serves the request with the REST operation of the
 * mapping files that matches it, or answers 404 / 405 when none does. Lets a strangler rule
 * split or shadow traffic between a mapped legacy operation and a new service. IO thread.
 */
public final class MappingTargetHandler implements HttpHandler {
  private final RouterHandler mappings;

  public MappingTargetHandler(Router<HttpHandler> mappings) {
    this.mappings = new RouterHandler(() -> mappings);
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    mappings.handleRequest(ex);
  }
}
