package dev.ficus.migration;

import dev.ficus.error.GatewayError;
import dev.ficus.http.Responses;
import dev.ficus.routing.Router;
import dev.ficus.soap.SoapOperationHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The route-table target {@code mapping}: serves the request with the REST operation of the
 * mapping files that matches it, or answers 404 / 405 when none does. Lets a strangler rule
 * split or shadow traffic between a mapped legacy operation and a new service. IO thread.
 */
public final class MappingTargetHandler implements HttpHandler {
  private final Router<SoapOperationHandler> mappings;

  public MappingTargetHandler(Router<SoapOperationHandler> mappings) {
    this.mappings = mappings;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    Router.Result<SoapOperationHandler> r = mappings.lookup(ex.getRequestMethod().toString(), ex.getRelativePath());
    if (r instanceof Router.Found<SoapOperationHandler> f) {
      ex.putAttachment(SoapOperationHandler.ROUTE_MATCH, f);
      f.target().handleRequest(ex);
    } else if (r instanceof Router.MethodNotAllowed<SoapOperationHandler> m) {
      Responses.problem(ex, GatewayError.methodNotAllowed(ex.getRequestMethod().toString(), m.allow()));
    } else {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.NOT_FOUND,
          "No mapping operation serves " + ex.getRequestMethod() + " " + ex.getRequestPath()));
    }
  }
}
