package dev.ficus.server;

import dev.ficus.config.Loc;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.config.Specs.RouteSpec;
import dev.ficus.config.Specs.UpstreamSpec;
import dev.ficus.migration.Inventory;
import dev.ficus.migration.InventoryHandler;
import dev.ficus.migration.MappingTargetHandler;
import dev.ficus.migration.SplitHandler;
import dev.ficus.proxy.TrustedProxies;
import dev.ficus.proxy.UpstreamHandler;
import dev.ficus.routing.PathTemplate;
import dev.ficus.routing.Router;
import io.undertow.server.HttpHandler;
import dev.ficus.proxy.UpstreamPools;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the strangler-fig route table of the gateway file, together with the mapping
 * operations, into one {@link Router}: mapping operations at priority 0, route-table rules at
 * priority 1 (so a rule on the same path wraps the mapped operation, which it can still reach
 * as the target {@code mapping}). Each rule becomes a small handler chain assembled in
 * {@link #ruleChain}: the stages of {@link RouteChains} ▸ split ▸ target (upstream proxy with
 * inventory, or mapping).
 * Every reference is checked; problems carry the YAML location. One instance per compile.
 */
final class RouteTableCompiler {
  static final String MAPPING = "mapping";

  private final Specs.GatewaySpec gateway;
  private final Problems problems;
  private final Inventory inventory;
  private final java.util.function.Function<UpstreamSpec, UpstreamPools> pools;
  private final Map<String, UpstreamSpec> upstreams;
  private final Map<String, UpstreamPools> proxyClients = new LinkedHashMap<>();
  private final TrustedProxies trusted;
  private final RouteChains chains;

  /**
   * {@code pools} gives an upstream's connection pools (kept across reloads by the caller);
   * {@code chains} builds each rule's chain in front of its targets.
   */
  RouteTableCompiler(Specs.GatewaySpec gateway, Problems problems, Inventory inventory, Map<String, UpstreamSpec> upstreams,
      TrustedProxies trusted, RouteChains chains, java.util.function.Function<UpstreamSpec, UpstreamPools> pools) {
    this.pools = pools;
    this.gateway = gateway;
    this.problems = problems;
    this.inventory = inventory;
    this.upstreams = upstreams;
    this.trusted = trusted;
    this.chains = chains;
  }

  /** Adds the route-table rules to {@code table}, their chains to {@code chainsOut}, a line per rule to {@code lines}. */
  void compile(Router.Builder<HttpHandler> table, Router<HttpHandler> mappings, List<String> lines,
      List<dev.ficus.chain.Chain> chainsOut) {
    MappingTargetHandler mappingTarget = new MappingTargetHandler(mappings);
    for (RouteSpec r : gateway.routes()) {
      int before = problems.size();
      PathTemplate template = null;
      if (r.path() != null) {
        try {
          template = PathTemplate.parse(r.path());
        } catch (IllegalArgumentException e) {
          problems.add(r.pathLoc(), "route path '" + r.path() + "': " + e.getMessage());
        }
      }
      dev.ficus.chain.Chain chain = ruleChain(r, mappingTarget);
      if (template == null || chain == null || problems.size() > before) {
        continue;
      }
      HttpHandler h = chain.head();
      Router.Conditions cond = new Router.Conditions(r.host(), r.headers(), r.query());
      Object prev = table.add(new LinkedHashSet<>(r.methods()), template, cond, 1, h, r.loc());
      if (prev != null) {
        problems.add(r.loc(), "route " + r.path() + " matches exactly the same requests as the route at " + prev
            + "; add a condition (methods, host, headers, query) or remove one");
        continue;
      }
      chainsOut.add(chain);
      lines.add((r.methods().isEmpty() ? "*" : String.join(",", r.methods())) + " " + r.path() + " -> "
          + describe(r));
    }
  }

  private static String describe(RouteSpec r) {
    StringBuilder sb = new StringBuilder();
    if (r.split().size() == 1) {
      sb.append(r.split().get(0).target());
    } else {
      sb.append("split ");
      r.split().forEach(w -> sb.append(w.target()).append('=').append(w.weight()).append(' '));
      sb.setLength(sb.length() - 1);
    }
    if (r.shadow() != null) {
      sb.append(", shadow to ").append(r.shadow().to()).append(r.shadow().compare() ? " (compared)" : "");
    }
    return sb.toString();
  }

  /**
   * The chain of one rule: its stages ({@link RouteChains}) in front of the split over its
   * targets, or in front of its one target; null when no target compiled.
   */
  private dev.ficus.chain.Chain ruleChain(RouteSpec r, MappingTargetHandler mappingTarget) {
    List<SplitHandler.Target> targets = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (Specs.Weighted w : r.split()) {
      if (!names.add(w.target())) {
        problems.add(w.loc(), "target '" + w.target() + "' appears twice in this route");
        continue;
      }
      HttpHandler t = target(w.target(), w.loc(), r.stripPrefix(), mappingTarget);
      if (t != null) {
        targets.add(new SplitHandler.Target(w.target(), w.weight(), t));
      }
    }
    if (targets.isEmpty()) {
      return null;
    }
    boolean single = targets.size() == 1 && !gateway.debugHeaders() && r.force().isEmpty();
    HttpHandler h = single ? targets.get(0).handler()
        : new SplitHandler(targets, r.force(), r.sticky(), gateway.debugHeaders());
    String label;
    if (single) {
      label = targetLabel(targets.get(0).name());
    } else {
      StringBuilder sb = new StringBuilder("split");
      targets.forEach(t -> sb.append(' ').append(t.name()).append('=').append(t.weight()));
      label = sb.toString();
    }
    dev.ficus.chain.ChainRoute route = new dev.ficus.chain.ChainRoute(key(r), dev.ficus.chain.ChainRoute.Kind.RULE,
        r.loc(), r, new ArrayList<>(names), r.policies().over(gateway.policies()));
    return chains.build(route, label, h);
  }

  private String targetLabel(String name) {
    return MAPPING.equals(name) ? "mapping" : "upstream " + name;
  }

  private static String key(RouteSpec r) {
    return (r.methods().isEmpty() ? "*" : String.join(",", r.methods())) + " " + r.path();
  }

  private HttpHandler target(String name, Loc loc, String stripPrefix, MappingTargetHandler mappingTarget) {
    if (MAPPING.equals(name)) {
      if (stripPrefix != null) {
        problems.add(loc, "'stripPrefix' applies to upstreams only; mapping operations match the path as sent");
      }
      return mappingTarget;
    }
    UpstreamSpec u = upstreams.get(name);
    if (u == null) {
      Set<String> known = new LinkedHashSet<>(upstreams.keySet());
      known.add(MAPPING);
      problems.add(loc, "'" + name + "' is neither an upstream nor 'mapping'" + Problems.suggestion(name, known));
      return null;
    }
    if (u.urls().isEmpty()) {
      return null;
    }
    UpstreamPools client = proxyClients.computeIfAbsent(name, k -> pools.apply(u));
    HttpHandler h = UpstreamHandler.create(u, client, trusted, stripPrefix, gateway.edge());
    if (u.inventory()) {
      h = new InventoryHandler(inventory, u.name(), h);
    }
    return h;
  }
}
