package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ficus.config.ConfigProblem;
import dev.ficus.samples.http.HttpSamples;
import dev.ficus.samples.monolith.LegacyMonolith;
import dev.ficus.samples.newservice.NewCustomerService;
import dev.ficus.samples.soap.SoapSamples;
import dev.ficus.server.GatewayServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strangler-fig route table end to end: a real gateway in front of a real legacy monolith,
 * a real new service (Undertow, from samples/) and the real CXF SOAP customer service behind a
 * mapping, all on loopback.
 */
class StranglerGatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path dir;

  static SoapSamples soap;
  static HttpSamples http;
  static NewCustomerService slowV2;
  static NewCustomerService failingV2;
  static int closedPort;
  static GatewayServer gateway;
  static String base;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    soap = SoapSamples.start("127.0.0.1", freePort(), "legacy-secret");
    http = HttpSamples.start("127.0.0.1", 0, 0);
    slowV2 = NewCustomerService.start("127.0.0.1", 0);
    slowV2.setDelay(Duration.ofMillis(1500));
    failingV2 = NewCustomerService.start("127.0.0.1", 0);
    failingV2.setFailing(true);
    closedPort = freePort();
    Path wsdl = Path.of("..", "wsdl", "customers.wsdl").toAbsolutePath().normalize();
    Files.writeString(dir.resolve("customers.yaml"), """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: %s
            port: CustomerSoap11Port
            endpoint: %s
            headers: { authHeader: { token: legacy-secret } }
        operations:
          - route: GET /api/customers/{id}
            call: getCustomer
            request: { customerId: path.id }
            response: { select: customer }
            faults: { CustomerNotFound: 404 }
          - route: GET /api/customers
            call: findCustomers
            request: { lastName: query.lastName }
            response: { select: customer }
        """.formatted(wsdl.toUri(), soap.customersUrl()));
    Files.writeString(dir.resolve("gateway.yaml"), gatewayYaml(List.of()));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
    base = "http://127.0.0.1:" + gateway.port();
    admin = "http://127.0.0.1:" + gateway.adminPort();
  }

  static String gatewayYaml(List<String> trusted) {
    return """
        ficus: gateway/v1
        debugHeaders: true
        trustedProxies: %s
        admin: { listen: 127.0.0.1:0 }
        upstreams:
          monolith: { url: %s, inventory: true, timeout: 30s }
          monolith-quick: { url: %s, timeout: 300ms }
          customers-v2: { url: %s }
          v2-slow: { url: %s }
          v2-failing: { url: %s }
          nowhere: { url: http://127.0.0.1:%d }
        routes:
          - path: /api/customers/{id}
            methods: [GET]
            split: { mapping: 50, customers-v2: 50 }
            force: [header:X-Ficus-Target]
            sticky: header:X-User-Id
            shadow: { to: customers-v2, ignore: [/updatedAt], redact: [/email] }
          - path: /canary/api/customers/{id}
            split: { monolith: 80, customers-v2: 20 }
            stripPrefix: /canary
          - path: /slow-shadow/api/customers/{id}
            to: monolith
            stripPrefix: /slow-shadow
            shadow: { to: v2-slow }
          - path: /failing-shadow/api/customers/{id}
            to: monolith
            stripPrefix: /failing-shadow
            shadow: { to: v2-failing }
          - path: /dead-shadow/api/customers/{id}
            to: monolith
            stripPrefix: /dead-shadow
            shadow: { to: nowhere }
          - path: /quick/**
            to: monolith-quick
            stripPrefix: /quick
          - path: /down/**
            to: nowhere
          - path: /**
            to: monolith
        """.formatted(trusted, http.monolithUrl(), http.monolithUrl(), http.newCustomersUrl(), slowV2.baseUrl(),
        failingV2.baseUrl(), closedPort);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    slowV2.close();
    failingV2.close();
    http.close();
    soap.close();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  @Test
  void everythingNotMigratedIsPassedThroughToTheMonolithAndInventoried() throws Exception {
    HttpResponse<String> order = get(base + "/api/orders/1001");
    assertThat(order.statusCode()).isEqualTo(200);
    assertThat(order.headers().firstValue("Server")).contains(LegacyMonolith.SERVER);
    HttpResponse<String> report = get(base + "/legacy/reports/2024/03.csv");
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    get(base + "/api/orders/1002");
    get(base + "/api/orders/3f2b8c1e-9d4a-4c6b-8f00-1a2b3c4d5e6f");
    // A request is counted when its exchange completes, which can be just after the client has
    // its answer: read the inventory until the last request shows (at most 5 s).
    Map<String, Long> counts = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    do {
      counts.clear();
      json(get(admin + "/migration/inventory")).forEach(r -> counts.merge(
          r.get("method").asText() + " " + r.get("template").asText(), r.get("count").asLong(), Long::sum));
    } while (!counts.containsKey("GET /api/orders/{uuid}") && System.nanoTime() < deadline && pause(20));
    assertThat(counts.get("GET /api/orders/{id}")).isGreaterThanOrEqualTo(2);
    assertThat(counts).containsKey("GET /api/orders/{uuid}");
    assertThat(counts).containsKey("GET /legacy/reports/{id}/{id}.csv");
    String csv = get(admin + "/migration/inventory.csv").body();
    assertThat(csv).startsWith("upstream,method,template,count").contains("monolith,GET,/api/orders/{id},");
  }

  @Test
  void mappedOperationsAreMoreSpecificThanTheCatchAll() throws Exception {
    long before = http.monolith().totalRequests();
    HttpResponse<String> r = get(base + "/api/customers?lastName=Smith");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).isArray()).isTrue();
    assertThat(json(r)).hasSize(3);
    assertThat(http.monolith().totalRequests()).isEqualTo(before);
  }

  @Test
  void aForceHeaderPicksTheSideAndTheDebugHeaderTellsWhichAnswered() throws Exception {
    HttpResponse<String> legacy = get(base + "/api/customers/2", "X-Ficus-Target", "mapping");
    assertThat(legacy.headers().firstValue("X-Ficus-Target")).contains("mapping");
    assertThat(legacy.headers().firstValue("Server").orElse("")).doesNotContain(NewCustomerService.SERVER);
    HttpResponse<String> v2 = get(base + "/api/customers/2", "X-Ficus-Target", "customers-v2");
    assertThat(v2.headers().firstValue("X-Ficus-Target")).contains("customers-v2");
    assertThat(v2.headers().firstValue("Server")).contains(NewCustomerService.SERVER);
    assertThat(json(v2).get("lastName").asText()).isEqualTo(json(legacy).get("lastName").asText());
  }

  @Test
  void splitRatiosFollowTheWeightsWithinStatisticalTolerance() throws Exception {
    int n = 600;
    int v2 = 0;
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = get(base + "/canary/api/customers/1");
      assertThat(r.statusCode()).isEqualTo(200);
      if (r.headers().firstValue("X-Ficus-Target").orElse("").equals("customers-v2")) {
        v2++;
      }
    }
    // 20 % of 600 = 120, sd ≈ 9.8: five sigma either way.
    assertThat(v2).isBetween(71, 169);
  }

  @Test
  void aStickyUserStaysOnOneSide() throws Exception {
    for (String user : List.of("alice", "bob", "carol", "dave", "erin")) {
      Set<String> sides = new java.util.HashSet<>();
      for (int i = 0; i < 8; i++) {
        sides.add(get(base + "/api/customers/1", "X-User-Id", user).headers().firstValue("X-Ficus-Target").orElse(""));
      }
      assertThat(sides).as(user).hasSize(1);
    }
  }

  @Test
  void shadowComparisonFindsTheOneDeliberateDifferenceAndRedactsPersonalData() throws Exception {
    for (int id = 1; id <= 6; id++) {
      assertThat(get(base + "/api/customers/" + id, "X-Ficus-Target", "mapping").statusCode()).isEqualTo(200);
    }
    eventually(() -> parity("/api/customers/{id}").get("compared").asLong() >= 6);
    JsonNode p = parity("/api/customers/{id}");
    assertThat(p.get("mismatches").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(p.get("mismatchesByPointer").has("/body/loyaltyPoints")).isTrue();
    assertThat(p.get("mismatchesByPointer").size()).as("only the deliberate difference: " + p).isEqualTo(1);
    JsonNode diff = p.get("recent").get(0).get("differences").get(0);
    assertThat(diff.get("pointer").asText()).isEqualTo("/body/loyaltyPoints");
    assertThat(diff.get("shadow").asLong()).isEqualTo(diff.get("primary").asLong() + 1);
    assertThat(p.toString()).doesNotContain("@example");
  }

  @Test
  void aSlowShadowNeverDelaysTheClient() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = get(base + "/slow-shadow/api/customers/1");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Server")).contains(LegacyMonolith.SERVER);
    assertThat(ms).as("the shadow answers after 1500 ms; the client must not wait for it").isLessThan(1000);
    eventually(() -> parity("/slow-shadow/api/customers/{id}").get("compared").asLong() >= 1);
  }

  @Test
  void aFailingOrUnreachableShadowNeverChangesTheClientsAnswer() throws Exception {
    HttpResponse<String> failing = get(base + "/failing-shadow/api/customers/4");
    HttpResponse<String> dead = get(base + "/dead-shadow/api/customers/4");
    assertThat(failing.statusCode()).isEqualTo(200);
    assertThat(dead.statusCode()).isEqualTo(200);
    assertThat(json(failing).get("lastName").asText()).isEqualTo("Nakamura");
    eventually(() -> parity("/failing-shadow/api/customers/{id}").get("mismatches").asLong() >= 1
            && parity("/dead-shadow/api/customers/{id}").get("shadowErrors").asLong() >= 1);
    assertThat(parity("/failing-shadow/api/customers/{id}").get("mismatchesByPointer").has("/status")).isTrue();
  }

  @Test
  void forwardingHeadersFromAnUntrustedClientAreReplacedNotBelieved() throws Exception {
    JsonNode seen = json(get(base + "/echo-headers", "X-Forwarded-For", "6.6.6.6", "Forwarded", "for=6.6.6.6"));
    String all = seen.toString();
    assertThat(all).doesNotContain("6.6.6.6");
    assertThat(headerSeen(seen, "x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(headerSeen(seen, "forwarded")).startsWith("for=127.0.0.1;proto=http");
    assertThat(headerSeen(seen, "x-forwarded-proto")).isEqualTo("http");
    assertThat(headerSeen(seen, "host")).isEqualTo("127.0.0.1:" + gateway.port());
  }

  @Test
  void hopByHopHeadersAndThoseNamedInConnectionAreNotForwarded() throws Exception {
    // The JDK client refuses to send Connection and friends, so this request is written by hand.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", gateway.port())) {
      s.setSoTimeout(10_000);
      String req = "GET /echo-headers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close, X-Drop-Me\r\n"
          + "X-Drop-Me: 1\r\nX-Keep-Me: 2\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
          + "Proxy-Connection: keep-alive\r\n\r\n";
      s.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      JsonNode seen = JSON.readTree(readResponseBody(s.getInputStream()));
      assertThat(headerSeen(seen, "x-keep-me")).isEqualTo("2");
      for (String hop : List.of("x-drop-me", "keep-alive", "te", "proxy-connection")) {
        assertThat(headerSeen(seen, hop)).as(hop).isNull();
      }
      assertThat(headerSeen(seen, "connection")).isNotEqualToIgnoringCase("close, X-Drop-Me");
    }
  }

  @Test
  void anH2cUpgradeOfferIsNotPassedToTheUpstream() throws Exception {
    // Without HTTP2-Settings the gateway's listener does not upgrade, so the offer reaches the
    // route; an upstream that took it would switch the client's connection to HTTP/2 with itself.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", gateway.port())) {
      s.setSoTimeout(10_000);
      String req = "GET /echo-headers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
      s.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      JsonNode seen = JSON.readTree(readResponseBody(s.getInputStream()));
      assertThat(headerSeen(seen, "upgrade")).isNull();
      assertThat(String.valueOf(headerSeen(seen, "connection"))).doesNotContainIgnoringCase("upgrade");
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length and returns its body. */
  private static byte[] readResponseBody(java.io.InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed in the headers: " + head);
      }
      head.append((char) c);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
    assertThat(m.find()).as(head.toString()).isTrue();
    return in.readNBytes(Integer.parseInt(m.group(1)));
  }

  private static String headerSeen(JsonNode echo, String name) {
    JsonNode headers = echo.get("headers");
    var it = headers.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        JsonNode v = e.getValue();
        return v.isArray() ? v.get(0).asText() : v.asText();
      }
    }
    return null;
  }

  @Test
  void anUnreachableUpstreamIsA502AndASlowOneA504ProblemDocument() throws Exception {
    HttpResponse<String> down = get(base + "/down/anything");
    assertThat(down.statusCode()).isEqualTo(502);
    assertThat(down.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(json(down).get("type").asText()).isEqualTo("urn:ficus:problem:backend-unavailable");
    HttpResponse<String> slow = get(base + "/quick/slow?ms=3000");
    assertThat(slow.statusCode()).isEqualTo(504);
    assertThat(json(slow).get("type").asText()).isEqualTo("urn:ficus:problem:gateway-timeout");
  }

  @Test
  void webSocketsArePassedThrough() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/echo"),
        new WebSocket.Listener() {
          final StringBuilder sb = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            sb.append(data);
            if (last) {
              received.complete(sb.toString());
            }
            webSocket.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    ws.sendText("hello through the fig", true);
    assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("hello through the fig");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }

  @Test
  void clientsMaySpeakHttp2() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
  }

  @Test
  void anInvalidReloadKeepsTheRunningRoutesAndAValidOneReplacesThem() throws Exception {
    String good = gatewayYaml(List.of());
    try {
      Files.writeString(dir.resolve("gateway.yaml"), good.replace("to: monolith\n", "to: monolth\n"));
      List<ConfigProblem> problems = gateway.reload();
      assertThat(problems).anyMatch(p -> p.message().contains("'monolth' is neither an upstream nor 'mapping'")
          && p.message().contains("did you mean 'monolith'?"));
      assertThat(get(base + "/api/orders/1001").statusCode()).isEqualTo(200);

      Files.writeString(dir.resolve("gateway.yaml"), gatewayYaml(List.of("127.0.0.1")));
      HttpResponse<String> viaAdmin = HTTP.send(HttpRequest.newBuilder(URI.create(admin + "/reload"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(viaAdmin.statusCode()).isEqualTo(200);
      JsonNode seen = json(get(base + "/echo-headers", "X-Forwarded-For", "10.1.2.3"));
      assertThat(headerSeen(seen, "x-forwarded-for")).as("a trusted proxy's chain is kept and extended")
          .isEqualTo("10.1.2.3,127.0.0.1");
    } finally {
      Files.writeString(dir.resolve("gateway.yaml"), good);
      assertThat(gateway.reload()).isEmpty();
    }
  }

  private static JsonNode parity(String path) throws Exception {
    for (JsonNode p : json(get(admin + "/migration/parity"))) {
      if (p.get("route").asText().endsWith(" " + path)) {
        return p;
      }
    }
    throw new AssertionError("no parity for " + path);
  }

  /** Polls {@code condition} every 50 ms for at most 10 s; fails when it never holds. */
  static void eventually(java.util.concurrent.Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("condition not met within 10 s");
  }

  /** Sleeps; true, so that it can sit in a loop condition. */
  static boolean pause(long millis) throws InterruptedException {
    Thread.sleep(millis);
    return true;
  }
}
