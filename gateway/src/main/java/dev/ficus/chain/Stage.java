package dev.ficus.chain;

import dev.ficus.config.Problems;

/**
 * One concern that sits around a route's target (request context, authentication, rate limit,
 * cache, shadow…), in three pieces as Envoy's filters are: its typed spec (a record of
 * {@code config.Specs}), this factory, which compiles the spec of one route once, and the
 * per-request {@link io.undertow.server.HttpHandler} its {@link Link} puts in front of the rest
 * of the chain, which never sees raw configuration.
 *
 * <p>The stages and their order are declared in one place, {@code server.RouteChains}. A stage
 * that a route does not configure returns null and adds nothing to that route's chain: no
 * handler, no per-request cost. Implementations are immutable and thread-safe; {@link #compile}
 * runs on the compiling thread only, never per request, and opens no connection.
 */
public interface Stage {
  /** The stage's name, as {@code /routes} and {@code validate} print it ("shadow", "context"). */
  String name();

  /**
   * The link of this stage in {@code route}'s chain, or null when the route does not use it.
   * Problems of the route's configuration for this stage go to {@code problems}, with their YAML
   * location; a stage with problems returns null.
   */
  Link compile(ChainRoute route, Problems problems);
}
