package dev.ficus.samples.http.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.TimeUnit;

/** Answers later without holding a thread: the wait is a timer on the exchange's IO thread. */
public final class Delays {

  private Delays() {
  }

  /**
   * Runs {@code then} as the exchange's handler after {@code millis} milliseconds, on the
   * exchange's IO thread; at once when {@code millis} is 0 or less. Call from a handler.
   */
  public static void after(HttpServerExchange exchange, long millis, HttpHandler then)
      throws Exception {
    if (millis <= 0) {
      then.handleRequest(exchange);
      return;
    }
    // Dispatching keeps the exchange open after this handler returns; the timer then runs
    // `then` as a root handler, which ends the exchange when it has answered.
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread().executeAfter(
        () -> exchange.dispatch(SameThreadExecutor.INSTANCE, then), millis, TimeUnit.MILLISECONDS));
  }
}
