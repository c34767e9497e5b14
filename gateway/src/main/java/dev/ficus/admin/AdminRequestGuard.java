package dev.ficus.admin;

import dev.ficus.config.Specs;
import dev.ficus.error.GatewayError;
import dev.ficus.http.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Keeps web pages away from the admin listener. A page the operator has open in a browser can
 * make that browser send requests to {@code 127.0.0.1:9090}: directly (a cross-origin form
 * {@code POST /reload} needs no CORS preflight), or through DNS rebinding (a name of the
 * attacker's that now resolves to 127.0.0.1, so the page may even read the answers). So:
 *
 * <ul>
 *   <li>{@code Host} must name the listener: on loopback, {@code 127.0.0.1}, {@code [::1]} or
 *       {@code localhost} with the admin port, or a value of {@code admin.allowedHosts} (a
 *       name there is also taken with the admin port); a rebound name is refused. Off loopback the token is the guard, and {@code Host} is
 *       checked only when {@code allowedHosts} is set.
 *   <li>An {@code Origin}, which browsers send on cross-origin and on every POST request, must
 *       be the listener's own ({@code http://} + the request's {@code Host}).
 * </ul>
 *
 * Both refusals are 403 problem+json. Runs on the IO thread and only reads headers; calls
 * {@code next} or ends the exchange.
 */
final class AdminRequestGuard implements HttpHandler {
  private static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "[::1]", "localhost");

  private final boolean checkHost;
  private final Set<String> names;
  private final Set<String> hostAndPorts;
  private final IntSupplier port;
  private final HttpHandler next;

  /** {@code port}: the listener's bound port, read per request (it is known only once started). */
  AdminRequestGuard(Specs.AdminSpec spec, IntSupplier port, HttpHandler next) {
    this.checkHost = spec.loopback() || !spec.allowedHosts().isEmpty();
    Set<String> n = new HashSet<>();
    Set<String> hp = new HashSet<>();
    if (spec.loopback()) {
      n.addAll(LOOPBACK_NAMES);
    } else {
      n.add(spec.host().contains(":") ? "[" + spec.host().toLowerCase(Locale.ROOT) + "]"
          : spec.host().toLowerCase(Locale.ROOT));
    }
    for (String h : spec.allowedHosts()) {
      if (h.lastIndexOf(':') <= h.lastIndexOf(']')) {
        // A configured name without a port: as a proxy in front forwards it (no port, or its own).
        n.add(h);
      }
      hp.add(h);
    }
    this.names = Set.copyOf(n);
    this.hostAndPorts = Set.copyOf(hp);
    this.port = port;
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    String host = ex.getRequestHeaders().getFirst(Headers.HOST);
    if (checkHost && !hostAllowed(host)) {
      forbid(ex, "The admin listener does not answer requests for Host '" + (host == null ? "" : host)
          + "'; use 127.0.0.1:" + port.getAsInt() + ", or list the name in admin.allowedHosts");
      return;
    }
    String origin = ex.getRequestHeaders().getFirst(Headers.ORIGIN);
    if (origin != null && (host == null || !origin.equalsIgnoreCase("http://" + host))) {
      forbid(ex, "The admin listener does not answer requests from other origins (Origin '" + origin + "')");
      return;
    }
    next.handleRequest(ex);
  }

  /**
   * Whether a {@code Host} value names this listener (case-insensitive): a known name with the
   * listener's port (no port means 80), or exactly a value of {@code allowedHosts}.
   */
  boolean hostAllowed(String host) {
    if (host == null) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (hostAndPorts.contains(h)) {
      return true;
    }
    int colon = h.lastIndexOf(':');
    String name = colon > h.lastIndexOf(']') ? h.substring(0, colon) : h;
    String given = colon > h.lastIndexOf(']') ? h.substring(colon + 1) : "80";
    return names.contains(name) && given.equals(Integer.toString(port.getAsInt()));
  }

  private static void forbid(HttpServerExchange ex, String detail) {
    Responses.problem(ex, new GatewayError(GatewayError.Code.INVALID_REQUEST, 403, "Forbidden", detail, false,
        null, null, null));
  }
}
