package dev.ficus.server;

import dev.ficus.config.Specs;
import dev.ficus.migration.Parity;
import io.undertow.server.HttpHandler;
import dev.ficus.routing.Router;
import java.util.List;

/**
 * One compiled configuration: the route table (mapping operations and strangler rules in one
 * trie) and the settings it was compiled with. Immutable; a reload builds a new runtime and
 * swaps it in atomically.
 *
 * @param routes one line per route, for the startup banner and the admin listener
 * @param parities the parity counters of the shadowed routes
 */
public record GatewayRuntime(Specs.GatewaySpec gateway, Router<HttpHandler> router, List<String> routes,
    List<Parity> parities) {
  public GatewayRuntime {
    routes = List.copyOf(routes);
    parities = List.copyOf(parities);
  }
}
