package dev.ficus.migration;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Counts every request that {@code next} (a legacy upstream) serves in the {@link Inventory},
 * when the exchange completes. Runs on the IO thread; adds one completion listener.
 */
public final class InventoryHandler implements HttpHandler {
  private final Inventory inventory;
  private final String upstream;
  private final HttpHandler next;

  public InventoryHandler(Inventory inventory, String upstream, HttpHandler next) {
    this.inventory = inventory;
    this.upstream = upstream;
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    long start = System.nanoTime();
    String method = ex.getRequestMethod().toString();
    String path = ex.getRequestPath();
    ex.addExchangeCompleteListener((e, nextListener) -> {
      try {
        inventory.record(upstream, method, path, e.getStatusCode(), System.nanoTime() - start);
      } finally {
        nextListener.proceed();
      }
    });
    next.handleRequest(ex);
  }
}
