package dev.ficus.http;

import dev.ficus.error.GatewayError;
import dev.ficus.error.ProblemRenderer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;

/**
 * Ends exchanges with a JSON body or a problem document. Safe to call from any thread once
 * the exchange has been dispatched (Undertow serialises the write onto the connection's IO
 * thread); each exchange must be ended exactly once.
 */
public final class Responses {
  private static final ProblemRenderer PROBLEMS = new ProblemRenderer(Json.MAPPER);
  private static final HttpString ALLOW = new HttpString("Allow");

  private Responses() {}

  public static void json(HttpServerExchange ex, int status, byte[] body) {
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    ex.getResponseSender().send(ByteBuffer.wrap(body));
  }

  public static void empty(HttpServerExchange ex, int status) {
    ex.setStatusCode(status);
    ex.setResponseContentLength(0);
    ex.endExchange();
  }

  public static void problem(HttpServerExchange ex, GatewayError e) {
    if (ex.isResponseStarted()) {
      ex.endExchange();
      return;
    }
    byte[] body = PROBLEMS.render(e, ex.getRequestPath());
    ex.setStatusCode(e.status());
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, ProblemRenderer.MEDIA_TYPE);
    if (!e.allow().isEmpty()) {
      ex.getResponseHeaders().put(ALLOW, String.join(", ", e.allow()));
    }
    ex.getResponseSender().send(ByteBuffer.wrap(body));
  }
}
