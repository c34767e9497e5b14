package dev.ficus.migration;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Copies each request to a shadow target and compares the two answers, without ever delaying
 * or changing the client's: the primary ({@code next}) serves the client as usual while the
 * request and response bodies are copied as they stream (up to a limit); when the exchange has
 * completed, the copy is sent to the shadow asynchronously and the answers are compared into
 * {@link Parity}. At most {@code queueSize} shadow calls are in flight; beyond that a copy is
 * dropped and counted. Only safe methods (GET, HEAD, OPTIONS) are shadowed unless
 * {@code unsafeMethods}. Runs on the IO thread; shadow calls complete on the client's threads.
 */
public final class ShadowHandler implements HttpHandler {
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
  private static final Set<String> NOT_COPIED = Set.of("host", "connection", "keep-alive", "transfer-encoding",
      "te", "trailer", "upgrade", "proxy-connection", "content-length", "expect", "http2-settings");
  private static final int CAPTURE_LIMIT = 1024 * 1024;

  private final HttpHandler next;
  private final String shadowName;
  private final URI shadowBase;
  private final String stripPrefix;
  private final HttpClient client;
  private final ResponseComparator comparator;
  private final boolean compare;
  private final boolean unsafeMethods;
  private final Semaphore inFlight;
  private final Duration timeout;
  private final Parity parity;

  public ShadowHandler(HttpHandler next, String shadowName, URI shadowBase, String stripPrefix, HttpClient client,
      ResponseComparator comparator, boolean compare, boolean unsafeMethods, int queueSize, Duration timeout,
      Parity parity) {
    this.next = next;
    this.shadowName = shadowName;
    this.shadowBase = shadowBase;
    this.stripPrefix = stripPrefix;
    this.client = client;
    this.comparator = comparator;
    this.compare = compare;
    this.unsafeMethods = unsafeMethods;
    this.inFlight = new Semaphore(queueSize);
    this.timeout = timeout;
    this.parity = parity;
  }

  public Parity parity() {
    return parity;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    String method = ex.getRequestMethod().toString();
    if (!SAFE.contains(method) && !unsafeMethods) {
      next.handleRequest(ex);
      return;
    }
    if (ex.getRequestHeaders().contains(Headers.UPGRADE)) {
      next.handleRequest(ex);
      return;
    }
    String path = ex.getRequestPath();
    String query = ex.getQueryString();
    Map<String, List<String>> headers = new HashMap<>();
    for (HeaderValues hv : ex.getRequestHeaders()) {
      String name = hv.getHeaderName().toString().toLowerCase(Locale.ROOT);
      if (!NOT_COPIED.contains(name)) {
        headers.put(hv.getHeaderName().toString(), List.copyOf(hv));
      }
    }
    BodyCapture requestBody = new BodyCapture(CAPTURE_LIMIT);
    if (!SAFE.contains(method)) {
      requestBody.captureRequest(ex);
    }
    BodyCapture responseBody = new BodyCapture(CAPTURE_LIMIT);
    if (compare) {
      responseBody.captureResponse(ex);
    }
    ex.addExchangeCompleteListener((e, nextListener) -> {
      try {
        afterPrimary(e, method, path, query, headers, requestBody, responseBody);
      } finally {
        nextListener.proceed();
      }
    });
    next.handleRequest(ex);
  }

  private void afterPrimary(HttpServerExchange e, String method, String path, String query,
      Map<String, List<String>> headers, BodyCapture requestBody, BodyCapture responseBody) {
    if (shadowName.equals(e.getAttachment(SplitHandler.CHOSEN))) {
      // The split already sent this request to the shadow's service: nothing to compare with.
      return;
    }
    if (requestBody.overflowed() || responseBody.overflowed()) {
      parity.skipped();
      return;
    }
    if (!inFlight.tryAcquire()) {
      parity.dropped();
      return;
    }
    ResponseComparator.Answer primary = compare ? new ResponseComparator.Answer(e.getStatusCode(),
        responseHeaders(e), responseBody.bytes()) : null;
    HttpRequest request;
    try {
      request = shadowRequest(method, path, query, headers, requestBody.bytes());
    } catch (IllegalArgumentException bad) {
      inFlight.release();
      parity.error(method, path, "cannot build the shadow request: " + bad.getMessage());
      return;
    }
    client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, failure) -> {
      try {
        if (failure != null) {
          Throwable t = failure.getCause() != null ? failure.getCause() : failure;
          parity.error(method, path, t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        } else if (compare) {
          ResponseComparator.Answer shadow = new ResponseComparator.Answer(r.statusCode(),
              firstValues(r.headers().map()), r.body());
          List<ResponseComparator.Difference> diffs = comparator.compare(primary, shadow);
          if (diffs.isEmpty()) {
            parity.match();
          } else {
            parity.mismatch(method, path, diffs);
          }
        } else {
          parity.match();
        }
      } finally {
        inFlight.release();
      }
    });
  }

  private HttpRequest shadowRequest(String method, String path, String query, Map<String, List<String>> headers,
      byte[] body) {
    String p = path;
    if (stripPrefix != null && (p.equals(stripPrefix) || p.startsWith(stripPrefix + "/"))) {
      p = p.substring(stripPrefix.length());
    }
    String base = shadowBase.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    URI uri = URI.create(base + encodePath(p) + (query == null || query.isEmpty() ? "" : "?" + query));
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((name, values) -> {
      for (String v : values) {
        try {
          b.header(name, v);
        } catch (IllegalArgumentException restricted) {
          // The JDK client sets a few headers itself (e.g. Date, Via); those are not copied.
        }
      }
    });
    b.header("X-Ficus-Shadow", "true");
    return b.build();
  }

  private static String encodePath(String p) {
    StringBuilder sb = new StringBuilder(p.length() + 8);
    for (char c : p.toCharArray()) {
      if (c == ' ' || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' || c == '|' || c == '\\'
          || c == '^' || c > 126) {
        for (byte x : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          sb.append('%').append(String.format("%02X", x));
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static Map<String, String> responseHeaders(HttpServerExchange e) {
    Map<String, String> m = new HashMap<>();
    for (HeaderValues hv : e.getResponseHeaders()) {
      m.put(hv.getHeaderName().toString().toLowerCase(Locale.ROOT), hv.getFirst());
    }
    return m;
  }

  private static Map<String, String> firstValues(Map<String, List<String>> headers) {
    Map<String, String> m = new HashMap<>();
    headers.forEach((k, v) -> {
      if (!v.isEmpty()) {
        m.put(k.toLowerCase(Locale.ROOT), v.get(0));
      }
    });
    return m;
  }

  /** The header marking shadow copies, so a shadow target can tell them apart. */
  public static final HttpString SHADOW_HEADER = new HttpString("X-Ficus-Shadow");
}
