package dev.ficus.migration;

import dev.ficus.chain.ChainRoute;
import dev.ficus.chain.Link;
import dev.ficus.chain.Stage;
import dev.ficus.config.Problems;
import dev.ficus.config.Specs;
import dev.ficus.config.Specs.UpstreamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The shadow stage: for a route-table rule with {@code shadow:}, a {@link ShadowHandler} that
 * copies the rule's requests to the shadow upstream and compares the answers into the route's
 * {@link Parity}. Adds nothing to a route without {@code shadow:} (mapped operations have none).
 * One instance per compile: it collects the parities of the routes it shadows.
 */
public final class ShadowStage implements Stage {
  /** The route-table target that names the mapped operations; never a shadow target. */
  public static final String MAPPING = "mapping";

  private final Map<String, UpstreamSpec> upstreams;
  private final ShadowClient client;
  private final BiFunction<String, Integer, Parity> parities;
  private final List<Parity> shadowed = new ArrayList<>();

  /** {@code parities} gives the counters of a route key and sample count (kept across reloads by the caller). */
  public ShadowStage(Map<String, UpstreamSpec> upstreams, ShadowClient client,
      BiFunction<String, Integer, Parity> parities) {
    this.upstreams = Map.copyOf(upstreams);
    this.client = client;
    this.parities = parities;
  }

  @Override
  public String name() {
    return "shadow";
  }

  /** The parities of the routes this stage shadowed, in compile order. */
  public List<Parity> parities() {
    return List.copyOf(shadowed);
  }

  @Override
  public Link compile(ChainRoute route, Problems problems) {
    Specs.RouteSpec r = route.rule();
    Specs.ShadowSpec s = r == null ? null : r.shadow();
    if (s == null) {
      return null;
    }
    UpstreamSpec up = s.to() == null ? null : upstreams.get(s.to());
    if (s.to() != null && up == null) {
      problems.add(s.toLoc(), MAPPING.equals(s.to())
          ? "a shadow target must be an upstream (an HTTP service); 'mapping' cannot be shadowed to"
          : "shadow target '" + s.to() + "' is not an upstream" + Problems.suggestion(s.to(), upstreams.keySet()));
      return null;
    }
    if (up == null) {
      return null;
    }
    if (route.targets().size() == 1 && route.targets().contains(s.to())) {
      problems.add(s.toLoc(), "the route already sends all traffic to '" + s.to() + "'; shadowing it to itself compares nothing");
    }
    Parity parity = parities.apply(route.key() + " -> " + s.to(), s.samples());
    ResponseComparator comparator = new ResponseComparator(s.ignore(), s.redact(), s.tolerance(), s.headers());
    long maxMemory = s.maxMemory() > 0 ? s.maxMemory() : Long.MAX_VALUE;
    java.time.Duration timeout = s.timeout() != null ? s.timeout() : up.timeout();
    shadowed.add(parity);
    return new Link(name(), "shadow to " + s.to() + (s.compare() ? " (compared)" : ""),
        next -> new ShadowHandler(next, s.to(), up.urls().get(0), r.stripPrefix(), client, comparator, s.compare(),
            s.unsafeMethods(), s.queueSize(), maxMemory, s.percent(), timeout, parity));
  }
}
