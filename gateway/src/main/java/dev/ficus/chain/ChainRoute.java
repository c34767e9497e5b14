package dev.ficus.chain;

import dev.ficus.config.Loc;
import dev.ficus.config.Specs;
import java.util.List;
import java.util.Objects;

/**
 * A route as the stages see it when its chain is compiled: its key as {@code /routes} prints it
 * ({@code "GET /v1/orders/{id}"}), where it was declared, and the spec of the part of the
 * configuration it came from. Immutable.
 *
 * @param kind a route-table rule of the gateway file, or a mapped operation of a mapping file
 * @param rule the route-table rule; null for a mapped operation
 * @param targets the names of the route's targets (upstreams, {@code mapping}, or the mapped
 *     operation's description), in the order of the configuration
 * @param policies the route's policies, the gateway-wide defaults filled in where it sets none
 */
public record ChainRoute(String key, Kind kind, Loc loc, Specs.RouteSpec rule, List<String> targets,
    Specs.Policies policies) {
  public enum Kind { RULE, OPERATION }

  public ChainRoute {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    targets = List.copyOf(targets);
    Objects.requireNonNull(policies, "policies");
  }

  /** A mapped operation's route. */
  public static ChainRoute operation(String key, Loc loc, String target, Specs.Policies policies) {
    return new ChainRoute(key, Kind.OPERATION, loc, null, List.of(target), policies);
  }
}
