package dev.ficus.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Who is calling, read from the credentials the request carries, for decisions that must treat
 * one API consumer alike across requests (sticky traffic splits). In order:
 * <ol>
 *   <li>{@code Authorization: Bearer} with a JWT: its issuer and subject ({@code iss}, {@code sub}),
 *       so every token of one user counts as one consumer;</li>
 *   <li>any other bearer token: the token itself;</li>
 *   <li>{@code Authorization: Basic}: the user name;</li>
 *   <li>an API key in {@code X-API-Key} (or {@code apikey}).</li>
 * </ol>
 * Nothing is verified here: this names a consumer, it does not authenticate one, so it must never
 * decide access. A client that forges another identity only chooses its own side of a split,
 * which a force header lets it do anyway. Returns null when the request carries no credentials.
 */
public final class ApiConsumer {
  private static final HttpString API_KEY = new HttpString("X-API-Key");
  private static final HttpString APIKEY = new HttpString("apikey");

  private ApiConsumer() {}

  /** The consumer of {@code ex}, as a string stable across its requests; null when anonymous. */
  public static String of(HttpServerExchange ex) {
    String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (auth != null) {
      String a = auth.trim();
      String scheme = a.length() > 7 ? a.substring(0, 7).toLowerCase(Locale.ROOT) : "";
      if (scheme.equals("bearer ")) {
        String token = a.substring(7).trim();
        String subject = jwtSubject(token);
        return subject != null ? subject : "bearer:" + token;
      }
      if (a.length() > 6 && a.substring(0, 6).equalsIgnoreCase("basic ")) {
        String user = basicUser(a.substring(6).trim());
        if (user != null) {
          return "basic:" + user;
        }
      }
    }
    String key = ex.getRequestHeaders().getFirst(API_KEY);
    if (key == null) {
      key = ex.getRequestHeaders().getFirst(APIKEY);
    }
    return key == null || key.isBlank() ? null : "key:" + key.trim();
  }

  /** {@code jwt:ISS|SUB} of a JWT with a subject; null for anything else. */
  static String jwtSubject(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      return null;
    }
    try {
      JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token.substring(first + 1, second)));
      JsonNode sub = claims.get("sub");
      if (sub == null || !sub.isTextual() || sub.textValue().isEmpty()) {
        return null;
      }
      JsonNode iss = claims.get("iss");
      return "jwt:" + (iss != null && iss.isTextual() ? iss.textValue() : "") + "|" + sub.textValue();
    } catch (IllegalArgumentException | java.io.IOException notAJwt) {
      return null;
    }
  }

  private static String basicUser(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      return user.isEmpty() ? null : user;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
