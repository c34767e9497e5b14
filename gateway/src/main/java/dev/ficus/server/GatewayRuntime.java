package dev.ficus.server;

import dev.ficus.config.Specs;
import dev.ficus.routing.Router;
import dev.ficus.soap.SoapOperationHandler;
import java.util.List;

/**
 * One compiled configuration: the route table and the settings it was compiled with.
 * Immutable; a reload builds a new runtime and swaps it in atomically.
 *
 * @param routes one line per route, for the startup banner and diagnostics
 */
public record GatewayRuntime(Specs.GatewaySpec gateway, Router<SoapOperationHandler> router, List<String> routes) {
  public GatewayRuntime {
    routes = List.copyOf(routes);
  }
}
