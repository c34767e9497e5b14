package dev.ficus.server;

import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import dev.ficus.http.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Outermost handler: anything thrown below becomes a problem+json response (500 without a
 * stack trace on the wire; the trace goes to the log). Runs on the IO thread.
 */
final class ErrorBoundaryHandler implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(ErrorBoundaryHandler.class.getName());
  private final HttpHandler next;

  ErrorBoundaryHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) {
    try {
      next.handleRequest(ex);
    } catch (GatewayException e) {
      Responses.problem(ex, e.error());
    } catch (Exception | Error e) {
      LOG.log(Level.SEVERE, "unhandled failure for " + ex.getRequestMethod() + " " + ex.getRequestPath(), e);
      Responses.problem(ex, GatewayError.of(GatewayError.Code.INTERNAL, "The gateway failed to handle the request"));
    }
  }
}
