package dev.ficus.config;

import dev.ficus.config.Specs.AdminSpec;
import dev.ficus.config.Specs.EdgeLimits;
import dev.ficus.config.Specs.GatewaySpec;
import dev.ficus.config.Specs.KeyKind;
import dev.ficus.config.Specs.RequestKey;
import dev.ficus.config.Specs.RouteSpec;
import dev.ficus.config.Specs.ShadowSpec;
import dev.ficus.config.Specs.UnknownFields;
import dev.ficus.config.Specs.UpstreamSpec;
import dev.ficus.config.Specs.Weighted;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the gateway file ({@code ficus: gateway/v1}): listener, limits, defaults, admin
 * listener, upstreams and the strangler-fig route table. Strict like every reader: unknown
 * keys and malformed values are problems with their location. Cross-references (a route's
 * target naming an upstream) are checked when the route table compiles.
 */
final class GatewayReader {
  /** A Host header value: a name or IPv4 address, or a bracketed IPv6 address, and an optional port. */
  private static final java.util.regex.Pattern HOST_VALUE =
      java.util.regex.Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  private final Problems problems;

  private java.nio.file.Path dir;

  /** Resolve files named by the gateway file (an upstream's {@code ca}) against {@code dir}. */
  GatewayReader in(java.nio.file.Path dir) {
    this.dir = dir;
    return this;
  }

  GatewayReader(Problems problems) {
    this.problems = problems;
  }

  GatewaySpec read(MapReader r) {
    GatewaySpec d = GatewaySpec.defaults(r.loc());
    String[] hp = hostPort(r, "listen", d.host(), d.port());
    long maxBody = d.maxBodyBytes();
    long maxResponse = d.maxResponseBytes();
    Duration idle = d.clientIdleTimeout();
    Duration head = d.requestHeadTimeout();
    EdgeLimits e = d.edge();
    Duration bodyTimeout = e.bodyTimeout();
    int minBodyRate = (int) e.minBodyRate();
    long bodyMemory = e.maxBodyMemory();
    long headSize = e.maxHeadSize();
    int headers = e.maxHeaders();
    long shadowMemory = e.shadowMemory();
    int shadowInFlight = e.shadowInFlight();
    YNode limitsNode = r.raw("limits");
    if (limitsNode != null) {
      MapReader l = MapReader.of(limitsNode, "'limits'", problems);
      if (l != null) {
        maxBody = l.size("maxBodySize", maxBody);
        maxResponse = l.size("maxResponseSize", maxResponse);
        idle = l.duration("idleTimeout", idle);
        head = l.duration("requestHeadTimeout", head);
        bodyTimeout = l.duration("bodyTimeout", bodyTimeout);
        minBodyRate = l.integer("minBodyRate", minBodyRate, 0, 1 << 30);
        bodyMemory = l.size("maxBodyMemory", bodyMemory);
        headSize = l.size("maxHeadSize", headSize);
        headers = l.integer("maxHeaders", headers, 1, 10_000);
        shadowMemory = l.size("shadowMemory", shadowMemory);
        shadowInFlight = l.integer("shadowInFlight", shadowInFlight, 1, 100_000);
        l.finish();
      }
    }
    Duration timeout = d.defaultTimeout();
    UnknownFields unknown = d.unknownFields();
    YNode defaultsNode = r.raw("defaults");
    if (defaultsNode != null) {
      MapReader l = MapReader.of(defaultsNode, "'defaults'", problems);
      if (l != null) {
        timeout = l.duration("timeout", timeout);
        unknown = ConfigLoader.unknownFields(l, unknown);
        l.finish();
      }
    }
    List<String> trusted = strings(r.raw("trustedProxies"), "'trustedProxies'");
    boolean debug = r.bool("debugHeaders", false);
    int ioThreads = r.integer("ioThreads", d.ioThreads(), 1, 1024);
    AdminSpec admin = admin(r.raw("admin"));
    List<UpstreamSpec> upstreams = upstreams(r.raw("upstreams"), timeout);
    List<RouteSpec> routes = routes(r.raw("routes"));
    Specs.Policies policies = PolicyReader.read(r.raw("policies"), problems);
    r.finish();
    return new GatewaySpec(r.loc(), hp[0], Integer.parseInt(hp[1]), maxBody, maxResponse, timeout, unknown,
        upstreams, routes, trusted, debug, admin, ioThreads, idle, head,
        new EdgeLimits(bodyTimeout, minBodyRate, bodyMemory, headSizeInt(headSize), headers, shadowMemory,
            shadowInFlight), policies);
  }

  /** A head limit between 1 KiB and 1 MiB: below, ordinary requests fail; above, 300 slow heads fill a heap. */
  private int headSizeInt(long bytes) {
    return (int) Math.max(1024, Math.min(1024 * 1024, bytes));
  }

  private String[] hostPort(MapReader r, String key, String host, int port) {
    String listen = r.string(key, false);
    if (listen == null) {
      return new String[] {host, Integer.toString(port)};
    }
    int colon = listen.lastIndexOf(':');
    try {
      if (colon < 0) {
        throw new NumberFormatException();
      }
      int p = Integer.parseInt(listen.substring(colon + 1));
      String h = listen.substring(0, colon);
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      if (p < 0 || p > 65535 || h.isEmpty()) {
        throw new NumberFormatException();
      }
      return new String[] {h, Integer.toString(p)};
    } catch (NumberFormatException e) {
      problems.add(r.keyLoc(key), "'" + key + "' must be host:port such as 127.0.0.1:8080, not '" + listen + "'");
      return new String[] {host, Integer.toString(port)};
    }
  }

  private AdminSpec admin(YNode n) {
    if (n == null) {
      return null;
    }
    MapReader a = MapReader.of(n, "'admin'", problems);
    if (a == null) {
      return null;
    }
    String[] hp = hostPort(a, "listen", "127.0.0.1", 9090);
    String token = a.string("token", false);
    List<String> allowedHosts = new ArrayList<>();
    YNode hosts = a.raw("allowedHosts");
    if (hosts instanceof YNode.YList l) {
      for (YNode i : l.items()) {
        if (i instanceof YNode.YScalar s && HOST_VALUE.matcher(s.text()).matches()) {
          allowedHosts.add(s.text().toLowerCase(java.util.Locale.ROOT));
        } else {
          problems.add(i.loc(), "'allowedHosts' holds Host header values such as admin.internal or "
              + "admin.internal:9090, not '" + (i instanceof YNode.YScalar s ? s.text() : i.kindName()) + "'");
        }
      }
    } else if (hosts != null) {
      problems.add(a.keyLoc("allowedHosts"), "'allowedHosts' must be a list of host names, not " + hosts.kindName());
    }
    a.finish();
    AdminSpec spec = new AdminSpec(a.loc(), hp[0], Integer.parseInt(hp[1]),
        token == null || token.isBlank() ? null : token, allowedHosts);
    if (!spec.loopback() && spec.token() == null) {
      problems.add(a.loc(), "the admin listener is not on loopback; give it a 'token' (e.g. token: ${FICUS_ADMIN_TOKEN})");
    }
    return spec;
  }

  private List<UpstreamSpec> upstreams(YNode n, Duration defaultTimeout) {
    List<UpstreamSpec> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    MapReader m = MapReader.of(n, "'upstreams'", problems);
    if (m == null) {
      return out;
    }
    for (YNode.Entry e : m.node().entries().values()) {
      m.has(e.key());
      if ("mapping".equals(e.key())) {
        problems.add(e.keyLoc(), "'mapping' is reserved for the REST operations of the mapping files; choose another name");
        continue;
      }
      MapReader u = MapReader.of(e.value(), "upstream '" + e.key() + "'", problems);
      if (u == null) {
        continue;
      }
      List<URI> urls = new ArrayList<>();
      String url = u.string("url", false);
      List<String> more = strings(u.raw("urls"), "'urls'");
      if (url != null) {
        more.add(0, url);
      }
      if (more.isEmpty()) {
        problems.add(u.loc(), "upstream '" + e.key() + "' needs 'url' (or 'urls' for several)");
      }
      for (String s : more) {
        URI uri = httpUri(s, u.keyLoc(url != null ? "url" : "urls"));
        if (uri != null) {
          urls.add(uri);
        }
      }
      Duration timeout = u.duration("timeout", defaultTimeout);
      String host = u.oneOf("host", "keep", Set.of("keep", "rewrite"));
      Integer maxConn = u.integer("maxConnections", 64, 1, 100_000);
      boolean inventory = u.bool("inventory", false);
      boolean ignoreClientAbort = u.bool("ignoreClientAbort", false);
      byte[] ca = ca(u, urls);
      u.finish();
      out.add(new UpstreamSpec(e.keyLoc(), e.key(), urls, timeout, "keep".equals(host), maxConn, inventory,
          ignoreClientAbort, ca));
    }
    m.finish();
    return out;
  }

  /** The PEM CAs of an upstream's {@code ca} file (relative to the configuration folder), or null. */
  private byte[] ca(MapReader u, List<URI> urls) {
    String file = u.string("ca", false);
    if (file == null) {
      return null;
    }
    if (urls.stream().noneMatch(x -> "https".equalsIgnoreCase(x.getScheme()))) {
      problems.add(u.keyLoc("ca"), "'ca' is the CA file for https:// URLs, and this upstream has none");
      return null;
    }
    return PemFiles.readCa(dir == null ? java.nio.file.Path.of("") : dir, file, "the configuration folder",
        u.keyLoc("ca"), problems);
  }

  private URI httpUri(String s, Loc loc) {
    try {
      URI u = new URI(s);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
          && u.getQuery() == null && u.getFragment() == null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(loc, "'" + s + "' must be an http:// or https:// URL with a host and no query");
    return null;
  }

  private List<RouteSpec> routes(YNode n) {
    List<RouteSpec> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (!(n instanceof YNode.YList list)) {
      problems.add(n.loc(), "'routes' must be a list, not " + n.kindName());
      return out;
    }
    for (YNode item : list.items()) {
      RouteSpec r = route(item);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private RouteSpec route(YNode n) {
    MapReader r = MapReader.of(n, "a route", problems);
    if (r == null) {
      return null;
    }
    String path = r.string("path", true);
    List<String> methods = new ArrayList<>();
    for (String m : strings(r.raw("methods"), "'methods'")) {
      String up = m.toUpperCase(Locale.ROOT);
      if (!METHODS.contains(up)) {
        problems.add(r.keyLoc("methods"), "'" + m + "' is not an HTTP method" + Problems.suggestion(up, METHODS));
      } else {
        methods.add(up);
      }
    }
    String host = r.string("host", false);
    Map<String, String> headers = stringMap(r.raw("headers"), "'headers'", true);
    Map<String, String> query = stringMap(r.raw("query"), "'query'", false);
    String to = r.string("to", false);
    List<Weighted> split = new ArrayList<>();
    YNode splitNode = r.raw("split");
    if (splitNode != null) {
      MapReader s = MapReader.of(splitNode, "'split'", problems);
      if (s != null) {
        for (YNode.Entry e : s.node().entries().values()) {
          s.has(e.key());
          Integer w = MapReader.integerValue(e.value(), e.key(), 0, 100_000, problems, null);
          if (w != null) {
            split.add(new Weighted(e.key(), w, e.keyLoc()));
          }
        }
        s.finish();
        if (!split.isEmpty() && split.stream().mapToInt(Weighted::weight).sum() == 0) {
          problems.add(s.loc(), "the weights of 'split' add up to 0; give at least one a positive weight");
        }
      }
    }
    if (to != null && splitNode != null) {
      problems.add(r.keyLoc("split"), "a route has either 'to' or 'split', not both");
    } else if (to == null && splitNode == null) {
      problems.add(r.loc(), "a route needs 'to: TARGET' or 'split: {TARGET: weight, …}'");
    } else if (to != null) {
      split.add(new Weighted(to, 1, r.keyLoc("to")));
    }
    List<RequestKey> force = new ArrayList<>();
    for (String f : strings(r.raw("force"), "'force'")) {
      RequestKey k = key(f, r.keyLoc("force"));
      if (k != null) {
        force.add(k);
      }
    }
    String stickyText = r.string("sticky", false);
    RequestKey sticky = stickyText == null ? null : stickyText.equals("consumer") ? new RequestKey(KeyKind.CONSUMER, null)
        : key(stickyText, r.keyLoc("sticky"), " or consumer (the API consumer)");
    ShadowSpec shadow = shadow(r.raw("shadow"));
    String strip = r.string("stripPrefix", false);
    if (strip != null && (!strip.startsWith("/") || strip.endsWith("/"))) {
      problems.add(r.keyLoc("stripPrefix"), "'stripPrefix' must start with '/' and not end with it, e.g. /legacy");
    }
    Specs.Policies policies = PolicyReader.read(r.raw("policies"), problems);
    r.finish();
    return new RouteSpec(r.loc(), path, r.keyLoc("path"), methods, host, headers, query, split, force, sticky, shadow,
        strip, policies);
  }

  private ShadowSpec shadow(YNode n) {
    if (n == null) {
      return null;
    }
    MapReader s = MapReader.of(n, "'shadow'", problems);
    if (s == null) {
      return null;
    }
    String to = s.string("to", true);
    boolean compare = s.bool("compare", true);
    List<String> ignore = pointers(s.raw("ignore"), "'ignore'");
    double tolerance = 0;
    String tol = s.string("tolerance", false);
    if (tol != null) {
      try {
        tolerance = Double.parseDouble(tol);
        if (tolerance < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add(s.keyLoc("tolerance"), "'tolerance' must be a number ≥ 0 (absolute difference allowed between numbers)");
      }
    }
    List<String> headers = new ArrayList<>();
    strings(s.raw("headers"), "'headers'").forEach(h -> headers.add(h.toLowerCase(Locale.ROOT)));
    List<String> redact = pointers(s.raw("redact"), "'redact'");
    boolean unsafe = s.bool("unsafeMethods", false);
    Integer queue = s.integer("queueSize", 1000, 1, 1_000_000);
    Integer samples = s.integer("samples", 20, 0, 1000);
    long maxMemory = s.size("maxMemory", 0L);
    Duration timeout = s.duration("timeout", null);
    double percent = 100;
    String pct = s.string("percent", false);
    if (pct != null) {
      try {
        percent = Double.parseDouble(pct.endsWith("%") ? pct.substring(0, pct.length() - 1).trim() : pct);
        if (!(percent > 0 && percent <= 100)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add(s.raw("percent").loc(), "'percent' must be a number above 0 and at most 100 (the share of requests copied); got '"
            + pct + "'");
      }
    }
    s.finish();
    return new ShadowSpec(s.loc(), to, s.keyLoc("to"), compare, ignore, tolerance, headers, redact, unsafe, queue,
        samples, percent, maxMemory, timeout);
  }

  private List<String> pointers(YNode n, String what) {
    List<String> out = new ArrayList<>();
    for (String p : strings(n, what)) {
      if (!p.startsWith("/")) {
        problems.add(n.loc(), what + ": '" + p + "' must be a JSON pointer such as /updatedAt or /items/*/id");
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private RequestKey key(String text, Loc loc) {
    return key(text, loc, "");
  }

  private RequestKey key(String text, Loc loc, String alsoAllowed) {
    int colon = text.indexOf(':');
    if (colon > 0 && colon < text.length() - 1) {
      String kind = text.substring(0, colon).toUpperCase(Locale.ROOT);
      String name = text.substring(colon + 1);
      for (KeyKind k : KeyKind.values()) {
        if (k != KeyKind.CONSUMER && k.name().equals(kind)) {
          return new RequestKey(k, k == KeyKind.HEADER ? name.toLowerCase(Locale.ROOT) : name);
        }
      }
    }
    problems.add(loc, "'" + text + "' must be header:NAME, cookie:NAME" + (alsoAllowed.isEmpty() ? " or " : ", ")
        + "query:NAME" + alsoAllowed);
    return null;
  }

  private List<String> strings(YNode n, String what) {
    return strings(n, what, problems);
  }

  /** A list of strings (or one string) at {@code n}; empty when absent; wrong kinds are problems. */
  static List<String> strings(YNode n, String what, Problems problems) {
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n instanceof YNode.YScalar s && s.text() != null) {
      out.add(s.text());
      return out;
    }
    if (!(n instanceof YNode.YList l)) {
      problems.add(n.loc(), what + " must be a list of strings, not " + n.kindName());
      return out;
    }
    for (YNode i : l.items()) {
      if (i instanceof YNode.YScalar s && s.text() != null) {
        out.add(s.text());
      } else {
        problems.add(i.loc(), what + " must hold strings, not " + i.kindName());
      }
    }
    return out;
  }

  private Map<String, String> stringMap(YNode n, String what, boolean lowerKeys) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    MapReader m = MapReader.of(n, what, problems);
    if (m == null) {
      return out;
    }
    for (YNode.Entry e : m.node().entries().values()) {
      m.has(e.key());
      if (e.value() instanceof YNode.YScalar s && s.text() != null) {
        out.put(lowerKeys ? e.key().toLowerCase(Locale.ROOT) : e.key(), s.text());
      } else {
        problems.add(e.value().loc(), what + ": the value of '" + e.key() + "' must be a string");
      }
    }
    m.finish();
    return out;
  }
}
