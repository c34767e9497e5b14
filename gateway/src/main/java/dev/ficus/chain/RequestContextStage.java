package dev.ficus.chain;

import dev.ficus.config.Problems;
import dev.ficus.proxy.TrustedProxies;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The first stage of every chain: makes the request's {@link RequestContext} and writes its id
 * and trace back into the request's headers (the client's values when they were valid, the
 * gateway's otherwise). A request that enters a second chain (a route-table rule whose target is
 * {@code mapping}) keeps the context of the first. Per request: one small object and, when the
 * client sent no id or trace, two header writes. IO thread.
 */
public final class RequestContextStage implements Stage {
  private final TrustedProxies trusted;

  public RequestContextStage(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  @Override
  public String name() {
    return "context";
  }

  @Override
  public Link compile(ChainRoute route, Problems problems) {
    return new Link(name(), "context", next -> new Handler(trusted, next));
  }

  private record Handler(TrustedProxies trusted, HttpHandler next) implements HttpHandler {
    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
      if (ex.getAttachment(RequestContext.KEY) == null) {
        RequestContext c = RequestContext.read(ex, trusted);
        ex.putAttachment(RequestContext.KEY, c);
        var h = ex.getRequestHeaders();
        if (!c.requestId().equals(h.getFirst(RequestContext.X_REQUEST_ID)) || h.count(RequestContext.X_REQUEST_ID) > 1) {
          h.put(RequestContext.X_REQUEST_ID, c.requestId());
        }
        if (c.trace().started()) {
          h.put(RequestContext.TRACEPARENT, c.trace().header());
          // W3C: a tracestate without a valid traceparent is discarded with it.
          h.remove(RequestContext.TRACESTATE);
        }
      }
      next.handleRequest(ex);
    }
  }
}
