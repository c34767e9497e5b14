package dev.ficus.samples.http.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.util.Deque;

/** Reading path and query parameters of an exchange; stateless. */
public final class Requests {

  private Requests() {
  }

  /**
   * The value of the path template variable {@code name} matched by the routing handler.
   *
   * @throws IllegalStateException when the route has no such variable (a programming error)
   */
  public static String pathParam(HttpServerExchange exchange, String name) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    String value = match == null ? null : match.getParameters().get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path variable " + name);
    }
    return value;
  }

  /** {@code text} as a non-negative decimal long (digits only), or null when it is not one. */
  public static Long nonNegativeLong(String text) {
    if (text == null || text.isEmpty() || text.length() > 18
        || !text.chars().allMatch(Requests::isDigit)) {
      return null;
    }
    return Long.parseLong(text);
  }

  /** {@code 'text'} for an error message, or {@code none} when null. */
  public static String quoted(String text) {
    return text == null ? "none" : "'" + text + "'";
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** The first value of query parameter {@code name}, or null when absent. */
  public static String queryParam(HttpServerExchange exchange, String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    return values == null ? null : values.peekFirst();
  }
}
