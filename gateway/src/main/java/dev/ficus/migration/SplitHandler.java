package dev.ficus.migration;

import dev.ficus.config.Specs.RequestKey;
import dev.ficus.http.ApiConsumer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends each request to one of several targets by weight (a canary: 1 % → 100 %).
 *
 * <p>Order of decision: a {@code force} key (header, cookie or query) whose value names a
 * target wins; else, with a {@code sticky} key present, the key's hash picks the target, so
 * the same user stays on the same side while the percentage rises (a user on the new side
 * stays there as its weight grows, because buckets are assigned in target order); else a
 * random draw. With {@code debug}, the chosen target is returned in {@code X-Ficus-Target}.
 * Runs on the IO thread; immutable and thread-safe.
 */
public final class SplitHandler implements HttpHandler {
  public static final HttpString TARGET_HEADER = new HttpString("X-Ficus-Target");
  /** The name of the target chosen for the exchange. */
  public static final io.undertow.util.AttachmentKey<String> CHOSEN = io.undertow.util.AttachmentKey.create(String.class);

  /** A target and its handler. */
  public record Target(String name, int weight, HttpHandler handler) {}

  private final List<Target> targets;
  private final Map<String, Target> byName;
  private final int total;
  private final List<RequestKey> force;
  private final RequestKey sticky;
  private final boolean debug;

  public SplitHandler(List<Target> targets, List<RequestKey> force, RequestKey sticky, boolean debug) {
    this.targets = List.copyOf(targets);
    java.util.LinkedHashMap<String, Target> m = new java.util.LinkedHashMap<>();
    int t = 0;
    for (Target x : targets) {
      m.put(x.name(), x);
      t += x.weight();
    }
    this.byName = Map.copyOf(m);
    this.total = t;
    this.force = List.copyOf(force);
    this.sticky = sticky;
    this.debug = debug;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    Target chosen = choose(ex);
    ex.putAttachment(CHOSEN, chosen.name());
    if (debug) {
      ex.getResponseHeaders().put(TARGET_HEADER, chosen.name());
    }
    chosen.handler().handleRequest(ex);
  }

  Target choose(HttpServerExchange ex) {
    for (RequestKey k : force) {
      String v = value(ex, k);
      if (v != null) {
        Target t = byName.get(v);
        if (t != null) {
          return t;
        }
      }
    }
    if (targets.size() == 1) {
      return targets.get(0);
    }
    String key = sticky == null ? null : value(ex, sticky);
    // A point in [0, 1): stable for a sticky key whatever the weights, so a key only moves
    // when its target's share shrinks past it.
    double point = key != null ? Math.floorMod(hash(key), 1_000_000L) / 1_000_000.0
        : ThreadLocalRandom.current().nextDouble();
    return pick(point * total);
  }

  /** The target owning {@code point} in [0, total). */
  Target pick(double point) {
    long acc = 0;
    for (Target t : targets) {
      acc += t.weight();
      if (point < acc) {
        return t;
      }
    }
    return targets.get(targets.size() - 1);
  }

  /** FNV-1a, 64 bit: stable across JVMs and releases, unlike String.hashCode's contract. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  static String value(HttpServerExchange ex, RequestKey k) {
    return switch (k.kind()) {
      case HEADER -> ex.getRequestHeaders().getFirst(k.name());
      case QUERY -> {
        Deque<String> q = ex.getQueryParameters().get(k.name());
        yield q == null ? null : q.peekFirst();
      }
      case COOKIE -> {
        Cookie c = ex.getRequestCookie(k.name());
        yield c == null ? null : c.getValue();
      }
      case CONSUMER -> ApiConsumer.of(ex);
    };
  }
}
