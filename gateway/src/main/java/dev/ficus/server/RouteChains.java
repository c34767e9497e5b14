package dev.ficus.server;

import dev.ficus.chain.Chain;
import dev.ficus.chain.ChainRoute;
import dev.ficus.chain.Link;
import dev.ficus.chain.RequestContextStage;
import dev.ficus.chain.Stage;
import dev.ficus.config.Problems;
import dev.ficus.migration.ShadowStage;
import dev.ficus.policy.IpRulesStage;
import dev.ficus.proxy.TrustedProxies;
import io.undertow.server.HttpHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The composition root of request handling: builds every route's chain, mapped operations and
 * route-table rules alike, from the one ordered list of stages in {@link #standard}. A request
 * runs, outermost first:
 *
 * <pre>
 * front end (strict framing, error boundary) ▸ router ▸ the route's chain:
 *   context ▸ [metrics] ▸ [ip] ▸ [authentication] ▸ [rate limit] ▸ [cache] ▸ [shadow] ▸ split ▸ target
 * </pre>
 *
 * A stage in brackets is present only on a route that configures it (no handler, no cost
 * otherwise). The split chooses one of a rule's targets (and is absent with a single target);
 * a target is an upstream (pass-through, with its inventory), {@code mapping} (the mapped
 * operations' table) or a mapped operation (SOAP or gRPC). Adding a policy is its spec record, its
 * {@link Stage}, and one line in {@link #standard}. Compile-time only: one instance per compile.
 */
final class RouteChains {
  private final List<Stage> stages;
  private final Problems problems;

  RouteChains(List<Stage> stages, Problems problems) {
    this.stages = List.copyOf(stages);
    this.problems = problems;
  }

  /**
   * The stages of every chain, outermost first. This is the list to read, and the one place to
   * add a stage.
   */
  static List<Stage> standard(TrustedProxies trusted, ShadowStage shadow) {
    return List.of(
        // Request id, W3C trace context, client address: first, on every route.
        new RequestContextStage(trusted),
        // metrics (issue 18) goes here.
        // Client address rules (policies.ip): before any credential is looked at.
        new IpRulesStage(),
        // authentication, rate limit, cache (issue 16) go here, in this order.
        // Request-body limits of mapped operations are checked by their JSON edge (BodyReader).
        // Copies to a shadow target, compared with the primary's answer.
        shadow);
  }

  /** {@code stages}, changed by {@code customize} (for embedding and tests; identity in production). */
  static List<Stage> customized(List<Stage> stages, UnaryOperator<List<Stage>> customize) {
    return customize == null ? stages : List.copyOf(customize.apply(new ArrayList<>(stages)));
  }

  /**
   * The chain of {@code route} in front of {@code target} (a split of the rule's targets, or the
   * one target), described as {@code targetLabel}. Problems go to the compile's problems; the
   * chain is built from the stages that compiled without any.
   */
  Chain build(ChainRoute route, String targetLabel, HttpHandler target) {
    List<Link> links = new ArrayList<>();
    for (Stage s : stages) {
      Link l = s.compile(route, problems);
      if (l != null) {
        links.add(l);
      }
    }
    HttpHandler h = target;
    for (int i = links.size() - 1; i >= 0; i--) {
      h = links.get(i).wrap().apply(h);
    }
    return new Chain(route.key(), links, targetLabel, h);
  }
}
