package dev.ficus.soap;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id under which a request's hidden details are logged: the client's {@code X-Request-Id}
 * when it is a plain token (so the client can find its own request), otherwise a new random
 * one. A value with other characters is never used, so that it cannot forge log lines. Any thread.
 */
final class RequestIds {
  private static final HttpString X_REQUEST_ID = new HttpString("X-Request-Id");
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {}

  static String of(HttpServerExchange ex) {
    String given = ex.getRequestHeaders().getFirst(X_REQUEST_ID);
    if (given != null && PLAIN.matcher(given).matches()) {
      return given;
    }
    return String.format("%016x", ThreadLocalRandom.current().nextLong());
  }
}
