package dev.ficus.server;

import dev.ficus.config.Loc;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.config.Specs.RouteSpec;
import dev.ficus.config.Specs.UpstreamSpec;
import dev.ficus.migration.Inventory;
import dev.ficus.migration.InventoryHandler;
import dev.ficus.migration.MappingTargetHandler;
import dev.ficus.migration.Parity;
import dev.ficus.migration.ResponseComparator;
import dev.ficus.migration.ShadowClient;
import dev.ficus.migration.ShadowHandler;
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
import java.util.function.BiFunction;

/**
 * Compiles the strangler-fig route table of the gateway file, together with the mapping
 * operations, into one {@link Router}: mapping operations at priority 0, route-table rules at
 * priority 1 (so a rule on the same path wraps the mapped operation, which it can still reach
 * as the target {@code mapping}). Each rule becomes a small handler chain assembled in
 * {@link #ruleHandler}: shadow ▸ split ▸ target (upstream proxy with inventory, or mapping).
 * Every reference is checked; problems carry the YAML location. One instance per compile.
 */
final class RouteTableCompiler {
  static final String MAPPING = "mapping";

  private final Specs.GatewaySpec gateway;
  private final Problems problems;
  private final Inventory inventory;
  private final ShadowClient shadowClient;
  private final BiFunction<String, Integer, Parity> parities;
  private final java.util.function.Function<UpstreamSpec, UpstreamPools> pools;
  private final Map<String, UpstreamSpec> upstreams = new LinkedHashMap<>();
  private final Map<String, UpstreamPools> proxyClients = new LinkedHashMap<>();
  private TrustedProxies trusted;

  /** {@code pools} gives an upstream's connection pools (kept across reloads by the caller). */
  RouteTableCompiler(Specs.GatewaySpec gateway, Problems problems, Inventory inventory, ShadowClient shadowClient,
      BiFunction<String, Integer, Parity> parities, java.util.function.Function<UpstreamSpec, UpstreamPools> pools) {
    this.pools = pools;
    this.gateway = gateway;
    this.problems = problems;
    this.inventory = inventory;
    this.shadowClient = shadowClient;
    this.parities = parities;
  }

  /** Adds the route-table rules to {@code table}; returns the parities of shadowed routes. */
  List<Parity> compile(Router.Builder<HttpHandler> table, Router<HttpHandler> mappings, List<String> lines) {
    try {
      trusted = TrustedProxies.parse(gateway.trustedProxies());
    } catch (IllegalArgumentException e) {
      problems.add(gateway.loc(), "trustedProxies: " + e.getMessage());
      trusted = TrustedProxies.parse(List.of());
    }
    for (UpstreamSpec u : gateway.upstreams()) {
      upstreams.put(u.name(), u);
    }
    List<Parity> shadowed = new ArrayList<>();
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
      Parity[] parity = new Parity[1];
      HttpHandler h = ruleHandler(r, mappingTarget, parity);
      if (template == null || h == null || problems.size() > before) {
        continue;
      }
      Router.Conditions cond = new Router.Conditions(r.host(), r.headers(), r.query());
      Object prev = table.add(new LinkedHashSet<>(r.methods()), template, cond, 1, h, r.loc());
      if (prev != null) {
        problems.add(r.loc(), "route " + r.path() + " matches exactly the same requests as the route at " + prev
            + "; add a condition (methods, host, headers, query) or remove one");
        continue;
      }
      if (parity[0] != null) {
        shadowed.add(parity[0]);
      }
      lines.add((r.methods().isEmpty() ? "*" : String.join(",", r.methods())) + " " + r.path() + " -> "
          + describe(r));
    }
    return shadowed;
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

  /** The handler chain of one rule, read top to bottom: shadow ▸ split ▸ targets. */
  private HttpHandler ruleHandler(RouteSpec r, MappingTargetHandler mappingTarget, Parity[] parityOut) {
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
    HttpHandler h = targets.size() == 1 && !gateway.debugHeaders() && r.force().isEmpty()
        ? targets.get(0).handler()
        : new SplitHandler(targets, r.force(), r.sticky(), gateway.debugHeaders());
    Specs.ShadowSpec s = r.shadow();
    if (s != null) {
      UpstreamSpec shadowUp = s.to() == null ? null : upstreams.get(s.to());
      if (s.to() != null && shadowUp == null) {
        problems.add(s.toLoc(), MAPPING.equals(s.to())
            ? "a shadow target must be an upstream (an HTTP service); 'mapping' cannot be shadowed to"
            : "shadow target '" + s.to() + "' is not an upstream" + Problems.suggestion(s.to(), upstreams.keySet()));
        return null;
      }
      if (shadowUp == null) {
        return null;
      }
      if (names.contains(s.to()) && names.size() == 1) {
        problems.add(s.toLoc(), "the route already sends all traffic to '" + s.to() + "'; shadowing it to itself compares nothing");
      }
      String key = (r.methods().isEmpty() ? "*" : String.join(",", r.methods())) + " " + r.path();
      Parity parity = parities.apply(key + " -> " + s.to(), s.samples());
      parityOut[0] = parity;
      h = new ShadowHandler(h, s.to(), shadowUp.urls().get(0), r.stripPrefix(), shadowClient,
          new ResponseComparator(s.ignore(), s.redact(), s.tolerance(), s.headers()), s.compare(), s.unsafeMethods(),
          s.queueSize(), s.maxMemory() > 0 ? s.maxMemory() : Long.MAX_VALUE, s.percent(),
          s.timeout() != null ? s.timeout() : shadowUp.timeout(), parity);
    }
    return h;
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
