package dev.ficus.migration;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Copies each request to a shadow target and compares the two answers, without ever delaying
 * or changing the client's: the primary ({@code next}) serves the client as usual while the
 * request and response bodies are copied as they stream (up to a limit); when the exchange has
 * completed, the copy is sent to the shadow asynchronously and the answers are compared into
 * {@link Parity}. Only safe methods (GET, HEAD, OPTIONS) are shadowed unless
 * {@code unsafeMethods}, and of those only a random {@code percent} when it is below 100: the
 * others pass untouched, not even captured.
 *
 * <p>Every copy lives within the {@link ShadowBudget}: it takes a slot when the request comes in
 * (at most {@code queueSize} per route, {@code limits.shadowInFlight} in all) and reserves its
 * bytes before it holds them (at most {@code maxMemory} per route, {@code limits.shadowMemory} in
 * all); a copy refused either is dropped, counted by reason, and the request passes as if the
 * route had no shadow. The slot and the bytes are given back when the copy ends, on every path:
 * the shadow's answer compared, a failure or the timeout (which bounds connecting, writing the
 * copy and the answer), a capture abandoned, the split having chosen the shadow.
 *
 * <p>Runs on the IO thread. The copy is sent by {@link ShadowClient} on the IO thread of the
 * client's exchange once that exchange is complete, and the comparison runs there too when the
 * bodies are small ({@link #INLINE_COMPARE_LIMIT}); larger ones are compared on a worker thread.
 * No other threads are involved, so the shadow only costs the client the CPU time it really needs.
 */
public final class ShadowHandler implements HttpHandler {
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
  /** Looked up by the request's own header names: HttpString compares them ignoring case. */
  private static final Set<HttpString> NOT_COPIED = Set.of(Headers.HOST, Headers.CONNECTION, Headers.KEEP_ALIVE,
      Headers.TRANSFER_ENCODING, Headers.TE, Headers.TRAILER, Headers.UPGRADE, new HttpString("Proxy-Connection"),
      Headers.CONTENT_LENGTH, Headers.EXPECT, new HttpString("HTTP2-Settings"));
  private static final int CAPTURE_LIMIT = 1024 * 1024;
  /** Bodies up to this size (both together) are compared on the IO thread: a few microseconds. */
  static final int INLINE_COMPARE_LIMIT = 64 * 1024;
  /**
   * Reserved by every copy from the start, besides its header characters (twice: the copy's
   * header map, then its head on the wire): the objects of the copy and of its shadow call.
   */
  static final long COPY_OVERHEAD = 2 * 1024;

  private final HttpHandler next;
  private final String shadowName;
  private final URI shadowBase;
  private final String stripPrefix;
  private final ShadowClient client;
  private final ResponseComparator comparator;
  private final boolean compare;
  private final boolean unsafeMethods;
  private final ShadowBudget.Route budget;
  private final int queueSize;
  private final long maxMemory;
  /** The share of eligible requests copied, above 0 and at most 100. */
  private final double percent;
  private final Duration timeout;
  private final Parity parity;

  public ShadowHandler(HttpHandler next, String shadowName, URI shadowBase, String stripPrefix, ShadowClient client,
      ResponseComparator comparator, boolean compare, boolean unsafeMethods, int queueSize, long maxMemory,
      double percent, Duration timeout, Parity parity) {
    this.next = next;
    this.shadowName = shadowName;
    this.shadowBase = shadowBase;
    this.stripPrefix = stripPrefix;
    this.client = client;
    this.comparator = comparator;
    this.compare = compare;
    this.unsafeMethods = unsafeMethods;
    this.budget = parity.budget();
    this.queueSize = queueSize;
    this.maxMemory = maxMemory;
    this.percent = percent;
    this.timeout = timeout;
    this.parity = parity;
  }

  public Parity parity() {
    return parity;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    String method = ex.getRequestMethod().toString();
    if ((!SAFE.contains(method) && !unsafeMethods)
        || (percent < 100 && ThreadLocalRandom.current().nextDouble() * 100 >= percent)) {
      next.handleRequest(ex);
      return;
    }
    if (dev.ficus.proxy.UpstreamHandler.isProtocolSwitch(ex.getRequestHeaders())) {
      // A WebSocket (or other protocol switch) is not copied. An h2c upgrade offer, which HTTP
      // clients such as Java's send with ordinary requests, is: the request is answered as usual.
      next.handleRequest(ex);
      return;
    }
    boolean withBody = !SAFE.contains(method);
    long length = withBody ? ex.getRequestContentLength() : -1;
    if (length > CAPTURE_LIMIT) {
      // Not comparable, and known before a byte is read: nothing is captured.
      parity.skipped();
      next.handleRequest(ex);
      return;
    }
    String path = rawPath(ex);
    ShadowBudget.Copy copy = budget.open(queueSize, maxMemory, COPY_OVERHEAD + 2L * (path.length() + headerChars(ex)));
    BodyCapture requestBody = new BodyCapture(CAPTURE_LIMIT, copy);
    if (copy.refusal() != null || (withBody && !requestBody.expect(length))) {
      parity.dropped(copy.refusal());
      next.handleRequest(ex);
      return;
    }
    String query = ex.getQueryString();
    HeaderMap headers = new HeaderMap();
    for (HeaderValues hv : ex.getRequestHeaders()) {
      if (!NOT_COPIED.contains(hv.getHeaderName())) {
        headers.putAll(hv.getHeaderName(), hv);
      }
    }
    if (withBody) {
      requestBody.captureRequest(ex);
    }
    BodyCapture responseBody = new BodyCapture(CAPTURE_LIMIT, copy);
    if (compare) {
      responseBody.captureResponse(ex);
    }
    ex.addExchangeCompleteListener((e, nextListener) -> {
      try {
        afterPrimary(e, method, path, query, headers, copy, requestBody, responseBody);
      } catch (RuntimeException | Error failure) {
        copy.close();
        throw failure;
      } finally {
        nextListener.proceed();
      }
    });
    next.handleRequest(ex);
  }

  /** The characters of the request's header names and values: what the copy's own head will hold. */
  private static long headerChars(HttpServerExchange ex) {
    long n = 0;
    for (HeaderValues hv : ex.getRequestHeaders()) {
      n += hv.getHeaderName().length() * (long) hv.size();
      for (String v : hv) {
        n += v.length() + 4;
      }
    }
    return n;
  }

  private void afterPrimary(HttpServerExchange e, String method, String path, String query,
      HeaderMap headers, ShadowBudget.Copy copy, BodyCapture requestBody, BodyCapture responseBody) {
    if (Thread.currentThread() != e.getIoThread()) {
      // A mapped operation may end its exchange elsewhere; the shadow client lives on the IO thread.
      e.getIoThread().execute(() -> {
        try {
          afterPrimaryOnIoThread(e, method, path, query, headers, copy, requestBody, responseBody);
        } catch (RuntimeException | Error failure) {
          copy.close();
          throw failure;
        }
      });
      return;
    }
    afterPrimaryOnIoThread(e, method, path, query, headers, copy, requestBody, responseBody);
  }

  private void afterPrimaryOnIoThread(HttpServerExchange e, String method, String path, String query,
      HeaderMap headers, ShadowBudget.Copy copy, BodyCapture requestBody, BodyCapture responseBody) {
    if (shadowName.equals(e.getAttachment(SplitHandler.CHOSEN))) {
      // The split already sent this request to the shadow's service: nothing to compare with.
      copy.close();
      return;
    }
    if (requestBody.overflowed() || responseBody.overflowed()
        || (!SAFE.contains(method) && !requestBody.complete())) {
      // Too large to compare, or a body that never ended (its client left, or the primary
      // answered without reading it): a copy of part of a request is not sent.
      copy.close();
      parity.skipped();
      return;
    }
    if (copy.refusal() != null) {
      // A capture outgrew the budget: it has given everything back already.
      parity.dropped(copy.refusal());
      return;
    }
    ResponseComparator.Answer primary = compare ? new ResponseComparator.Answer(e.getStatusCode(),
        comparedHeaders(e.getResponseHeaders()), responseBody.take()) : null;
    ShadowClient.Request request;
    try {
      request = shadowRequest(method, path, query, headers, requestBody.take());
    } catch (IllegalArgumentException bad) {
      copy.close();
      parity.error(method, path, "cannot build the shadow request: " + bad.getMessage());
      return;
    }
    // Without a comparison the shadow's answer body is read and thrown away (maxBody 0).
    client.send(e.getIoThread(), e.getConnection().getByteBufferPool(), request, timeout, compare ? CAPTURE_LIMIT : 0,
        copy, new ShadowClient.Callback() {
          @Override
          public void completed(ShadowClient.Answer r) {
            if (!compare) {
              copy.close();
              parity.match();
              return;
            }
            ResponseComparator.Answer shadow = new ResponseComparator.Answer(r.status(), comparedHeaders(r.headers()),
                r.body());
            if (primary.body().length + shadow.body().length <= INLINE_COMPARE_LIMIT) {
              compareAndRelease(method, path, primary, shadow, copy);
            } else {
              try {
                e.getIoThread().getWorker().execute(() -> compareAndRelease(method, path, primary, shadow, copy));
              } catch (java.util.concurrent.RejectedExecutionException stopping) {
                copy.close();
              }
            }
          }

          @Override
          public void failed(String reason) {
            copy.close();
            if (copy.refusal() != null) {
              // The shadow's answer outgrew the budget: a drop, not the shadow's fault.
              parity.dropped(copy.refusal());
            } else {
              parity.error(method, path, reason);
            }
          }
        });
  }

  private void compareAndRelease(String method, String path, ResponseComparator.Answer primary,
      ResponseComparator.Answer shadow, ShadowBudget.Copy copy) {
    try {
      List<ResponseComparator.Difference> diffs = comparator.compare(primary, shadow);
      if (diffs.isEmpty()) {
        parity.match();
      } else {
        parity.mismatch(method, path, diffs);
      }
    } finally {
      copy.close();
    }
  }

  private ShadowClient.Request shadowRequest(String method, String path, String query, HeaderMap headers,
      byte[] body) {
    String p = path;
    if (stripPrefix != null && (p.equals(stripPrefix) || p.startsWith(stripPrefix + "/"))) {
      p = p.substring(stripPrefix.length());
    }
    String base = shadowBase.getRawPath() == null ? "" : shadowBase.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String target = base + encodePath(p);
    if (target.isEmpty()) {
      target = "/";
    }
    // Checks the result the way a client would (throws IllegalArgumentException when invalid);
    // a path of characters that are always valid in a URI path, as most are, needs no parse.
    if (!plainPath(target)) {
      URI.create(shadowBase.getScheme() + "://" + shadowBase.getRawAuthority() + target);
    }
    if (query != null && !query.isEmpty()) {
      target += "?" + query;
    }
    // The copy taken when the request came in belongs to this shadow call alone.
    HeaderMap h = headers;
    h.put(Headers.HOST, shadowBase.getRawAuthority());
    h.put(SHADOW_HEADER, "true");
    if (body.length > 0 || !SAFE.contains(method)) {
      h.put(Headers.CONTENT_LENGTH, body.length);
    }
    return new ShadowClient.Request(shadowBase, method, target, h, body);
  }

  /**
   * The request's path as the client sent it, still percent-encoded: the decoded path would turn
   * {@code %3F} into a query and {@code %25} into a bare {@code %} in the copy.
   */
  private static String rawPath(HttpServerExchange ex) {
    String uri = ex.getRequestURI();
    if (!uri.startsWith("/")) {
      // Absolute form (GET http://host/path): the path starts after the authority.
      int scheme = uri.indexOf("://");
      int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
      uri = slash < 0 ? "/" : uri.substring(slash);
    }
    return uri;
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

  /**
   * True when every character of {@code path} is valid in a URI path as it stands (letters,
   * digits, {@code -._~!$&'()*+,;=:@/}, and {@code %} followed by two hex digits), so that
   * {@link URI#create} would accept it: a subset of what it accepts, checked without parsing.
   */
  static boolean plainPath(String path) {
    for (int i = 0, n = path.length(); i < n; i++) {
      char c = path.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0) {
        continue;
      }
      if (c == '%' && i + 2 < n && hex(path.charAt(i + 1)) && hex(path.charAt(i + 2))) {
        i += 2;
        continue;
      }
      return false;
    }
    return true;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** The headers of an answer that the comparison reads, by their lower-case names. */
  private Map<String, String> comparedHeaders(HeaderMap h) {
    List<String> names = comparator.headerNames();
    Map<String, String> m = new HashMap<>(names.size() * 2);
    for (String name : names) {
      String v = h.getFirst(name);
      if (v != null) {
        m.put(name, v);
      }
    }
    return m;
  }

  /** The header marking shadow copies, so a shadow target can tell them apart. */
  public static final HttpString SHADOW_HEADER = new HttpString("X-Ficus-Shadow");
}
