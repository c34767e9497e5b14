package dev.ficus.server;

import dev.ficus.error.GatewayError;
import dev.ficus.http.Responses;
import dev.ficus.routing.Router;
import dev.ficus.soap.SoapOperationHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Looks the request up in the current runtime's route table and hands it to the route's
 * handler, or answers 404 / 405 (with {@code Allow}). Runs on the IO thread; the lookup is a
 * trie walk proportional to the path's length.
 */
final class RouteHandler implements HttpHandler {
  private final Supplier<GatewayRuntime> runtime;

  RouteHandler(Supplier<GatewayRuntime> runtime) {
    this.runtime = runtime;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    Router.Result<HttpHandler> r = runtime.get().router().lookup(ex.getRequestMethod().toString(),
        ex.getRelativePath(), new ExchangeView(ex));
    if (r instanceof Router.Found<HttpHandler> found) {
      ex.putAttachment(SoapOperationHandler.ROUTE_MATCH, found);
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
