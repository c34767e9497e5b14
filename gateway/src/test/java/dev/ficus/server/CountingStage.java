package dev.ficus.server;

import dev.ficus.chain.ChainRoute;
import dev.ficus.chain.Link;
import dev.ficus.chain.RequestContext;
import dev.ficus.chain.Stage;
import dev.ficus.config.Problems;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stage of the test's own, added to the chain of one route only: counts that route's requests
 * and records the client address the request context worked out. What a new policy looks like:
 * a factory that decides per route, and a per-request handler.
 */
final class CountingStage implements Stage {
  final AtomicInteger requests = new AtomicInteger();
  final Queue<String> clients = new ConcurrentLinkedQueue<>();
  private final String routeKey;

  CountingStage(String routeKey) {
    this.routeKey = routeKey;
  }

  @Override
  public String name() {
    return "count";
  }

  @Override
  public Link compile(ChainRoute route, Problems problems) {
    if (!route.key().equals(routeKey)) {
      return null;
    }
    return new Link(name(), "count", next -> ex -> {
      requests.incrementAndGet();
      clients.add(RequestContext.of(ex).clientAddress());
      next.handleRequest(ex);
    });
  }
}
