package dev.ficus.routing;

import dev.ficus.error.GatewayError;
import dev.ficus.http.Responses;
import dev.ficus.routing.Router;
import dev.ficus.routing.RouteMatch;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Looks the request up in a route table and hands it to the route's handler (with the match
 * attached under {@link RouteMatch#KEY}), or answers 404 / 405 (with {@code Allow}). The table
 * is fetched per request, so a reload takes effect for the next request. Runs on the IO
 * thread; the lookup is a trie walk proportional to the path's length.
 */
public final class RouterHandler implements HttpHandler {
  private final Supplier<Router<HttpHandler>> table;

  public RouterHandler(Supplier<Router<HttpHandler>> table) {
    this.table = table;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    Router.Result<HttpHandler> r = table.get().lookup(ex.getRequestMethod().toString(),
        ex.getRelativePath(), new ExchangeView(ex));
    if (r instanceof Router.Found<HttpHandler> found) {
      ex.putAttachment(RouteMatch.KEY, found);
      found.target().handleRequest(ex);
    } else if (r instanceof Router.MethodNotAllowed<HttpHandler> m) {
      Responses.problem(ex, GatewayError.methodNotAllowed(ex.getRequestMethod().toString(), m.allow()));
    } else {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.NOT_FOUND,
          "No route matches " + ex.getRequestMethod() + " " + ex.getRequestPath()));
    }
  }

  /** The request as route conditions see it. */
  private record ExchangeView(HttpServerExchange ex) implements Router.RequestView {
    @Override
    public String host() {
      return ex.getHostAndPort();
    }

    @Override
    public String header(String lowerCaseName) {
      return ex.getRequestHeaders().getFirst(lowerCaseName);
    }

    @Override
    public String query(String name) {
      Deque<String> q = ex.getQueryParameters().get(name);
      return q == null ? null : q.peekFirst();
    }
  }
}
