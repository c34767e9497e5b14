package dev.ficus.grpc;

import dev.ficus.error.GatewayError;
import dev.ficus.http.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;

/**
 * Several gRPC routes registered on the same router template, e.g.
 * {@code GET /v1/{name=warehouses/*&#47;items/*}} and its custom methods {@code ...:stock} and
 * {@code ...:watch}: tries each route's template in order (routes with a verb first) and serves
 * the first that matches, or answers 404. {@link #accepts} is the router's path filter for the
 * group. Runs on the IO thread; immutable.
 */
final class RouteGroupHandler implements HttpHandler {
  private final List<GrpcOperationHandler> routes;

  RouteGroupHandler(List<GrpcOperationHandler> routes) {
    this.routes = List.copyOf(routes);
  }

  @Override
  public void handleRequest(HttpServerExchange ex) {
    String path = ex.getRelativePath();
    for (GrpcOperationHandler r : routes) {
      String[] values = r.template().match(path);
      if (values != null) {
        r.serve(ex, values);
        return;
      }
    }
    Responses.problem(ex, GatewayError.of(GatewayError.Code.NOT_FOUND,
        "No route matches " + ex.getRequestMethod() + " " + ex.getRequestPath()));
  }

  /** Whether one of the routes matches {@code path}; cheap and thread-safe (the router's filter). */
  boolean accepts(String path) {
    for (GrpcOperationHandler r : routes) {
      if (r.template().match(path) != null) {
        return true;
      }
    }
    return false;
  }

  List<GrpcOperationHandler> routes() {
    return routes;
  }
}
