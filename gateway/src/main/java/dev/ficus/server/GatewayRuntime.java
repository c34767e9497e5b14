package dev.ficus.server;

import dev.ficus.config.ConfigProblem;
import dev.ficus.config.Problems;
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
 * @param chains every route's chain, mapped operations first, then the route-table rules in their order
 * @param parities the parity counters of the shadowed routes
 * @param warnings what the configuration left out without being invalid (see {@link Problems#warn})
 */
public record GatewayRuntime(Specs.GatewaySpec gateway, Router<HttpHandler> router, List<String> routes,
    List<dev.ficus.chain.Chain> chains, List<Parity> parities, List<ConfigProblem> warnings) {
  public GatewayRuntime {
    routes = List.copyOf(routes);
    chains = List.copyOf(chains);
    parities = List.copyOf(parities);
    warnings = List.copyOf(warnings);
  }
}
