package dev.ficus.samples.monolith;

import dev.ficus.samples.http.internal.Delays;
import dev.ficus.samples.http.internal.ErrorJson;
import dev.ficus.samples.http.internal.Json;
import dev.ficus.samples.http.internal.Requests;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;

/**
 * {@code GET /slow?ms=N}: answers {@code {"sleptMs":N}} after N milliseconds (0..{@value
 * #MAX_MILLIS}); 400 for another {@code ms}. The wait is a timer on the IO thread, so slow
 * requests hold no thread and do not delay other requests.
 */
final class SlowHandler implements HttpHandler {

  static final long MAX_MILLIS = 60_000;

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String text = Requests.queryParam(exchange, "ms");
    Long millis = Requests.nonNegativeLong(text);
    if (millis == null || millis > MAX_MILLIS) {
      ErrorJson.send(exchange, StatusCodes.BAD_REQUEST,
          "query parameter ms must be 0.." + MAX_MILLIS + ", got " + Requests.quoted(text));
      return;
    }
    Delays.after(exchange, millis,
        later -> Json.send(later, StatusCodes.OK, Json.object().put("sleptMs", millis)));
  }
}
