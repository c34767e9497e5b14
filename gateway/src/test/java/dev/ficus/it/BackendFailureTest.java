package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backends that misbehave: gone, silent, answering HTML, broken or hostile XML, or too much
 * of it. A JDK HttpServer plays the backend (a real SOAP stack would not misbehave on
 * request); each behaviour has its own mapping file and route {@code GET /api/NAME/add}
 * calling the calculator's rpc/literal {@code add}. A well-behaved stub route proves the
 * set-up works, so each 502/504 is due to the misbehaviour alone.
 */
class BackendFailureTest {
  private static final int MAX_RESPONSE = 64 * 1024;
  private static final String ENVELOPE = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
      + "<soap:Body><c:addResponse xmlns:c=\"urn:example:calculator\"><result>%s</result></c:addResponse>"
      + "</soap:Body></soap:Envelope>";
  private static final Pattern OPERAND = Pattern.compile("<(a|b)>(-?\\d+)</\\1>");

  @TempDir
  static Path config;

  private static final CountDownLatch RELEASE_SILENT = new CountDownLatch(1);
  private static StubBackend stub;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() {
    stub = StubBackend.start()
        .route("/ok", (ex, req) -> xml(ex, 200, ENVELOPE.formatted(sum(req))))
        .route("/silent", (ex, req) -> {
          // Never answers; released when the class is done so that no thread lingers.
          awaitQuietly(RELEASE_SILENT);
        })
        .route("/html-error", (ex, req) -> StubBackend.reply(ex, 500, "text/html; charset=utf-8",
            "<!DOCTYPE html><html><body><h1>500 Internal Server Error</h1><p>Proxy error</p></body></html>"
                .getBytes(StandardCharsets.UTF_8)))
        .route("/truncated", (ex, req) -> xml(ex, 200, ENVELOPE.formatted(sum(req)).substring(0, 120)))
        .route("/not-soap", (ex, req) -> xml(ex, 200, "<result>5</result>"))
        .route("/laughs", (ex, req) -> xml(ex, 200, billionLaughs()))
        .route("/large", (ex, req) -> xml(ex, 200, ENVELOPE.formatted(sum(req))
            .replace("<soap:Body>", "<soap:Header><pad>" + "x".repeat(2 * MAX_RESPONSE) + "</pad></soap:Header><soap:Body>")))
        .route("/endless", (ex, req) -> endless(ex));
    int closedPort = Loopback.freePort();
    ConfigFiles.write(config, "gateway.yaml", """
        ficus: gateway/v1
        limits:
          maxResponseSize: 64KB
        defaults:
          timeout: 5s
        """);
    write("ok", stub.url("/ok"), null);
    write("closed", "http://127.0.0.1:" + closedPort + "/ws/calculator", null);
    write("silent", stub.url("/silent"), "300ms");
    write("html-error", stub.url("/html-error"), null);
    write("truncated", stub.url("/truncated"), null);
    write("not-soap", stub.url("/not-soap"), null);
    write("laughs", stub.url("/laughs"), null);
    write("large", stub.url("/large"), null);
    write("endless", stub.url("/endless"), null);
    gateway = GatewayUnderTest.start(config, Map.of());
  }

  @AfterAll
  static void stop() {
    RELEASE_SILENT.countDown();
    if (gateway != null) {
      gateway.close();
    }
    if (stub != null) {
      stub.close();
    }
  }

  private static void write(String name, String endpoint, String timeout) {
    ConfigFiles.write(config, name + ".yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: GET /api/%s/add
            call: add
            request: {a: query.a, b: query.b}
            response: {select: result}
        %s""".formatted(ConfigFiles.wsdl("calculator.wsdl"), endpoint, name,
        timeout == null ? "" : "    timeout: " + timeout + "\n"));
  }

  /** The sum of the a and b the gateway sent, read from its envelope. */
  private static String sum(byte[] request) {
    Matcher m = OPERAND.matcher(new String(request, StandardCharsets.UTF_8));
    long total = 0;
    int found = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(2));
      found++;
    }
    if (found != 2) {
      throw new IllegalStateException("the envelope lacks <a> or <b>: " + new String(request, StandardCharsets.UTF_8));
    }
    return Long.toString(total);
  }

  private static void xml(HttpExchange ex, int status, String body) throws IOException {
    StubBackend.reply(ex, status, "text/xml; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ten levels of ten-fold entity expansion: 10^9 "lol"s if a parser expanded them. */
  private static String billionLaughs() {
    StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE soap:Envelope [\n<!ENTITY lol0 \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
    }
    dtd.append("]>\n");
    return dtd + ENVELOPE.formatted("&lol9;");
  }

  /** A chunked reply that would go on for 256 MiB; stops as soon as the gateway hangs up. */
  private static void endless(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/xml");
    ex.sendResponseHeaders(200, 0);
    byte[] chunk = ("<pad>" + "y".repeat(64 * 1024 - 11) + "</pad>").getBytes(StandardCharsets.UTF_8);
    OutputStream out = ex.getResponseBody();
    out.write("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Header>"
        .getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 4096; i++) {
      out.write(chunk);
      out.flush();
    }
  }

  private static Reply timed(String path, Duration bound) {
    long start = System.nanoTime();
    Reply r = gateway.get(path);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("time to answer %s", path).isLessThan(bound);
    return r;
  }

  @Test
  void wellBehavedStubIsTranslatedSoTheSetUpIsSound() {
    JsonNode sum = gateway.get("/api/ok/add?a=20&b=22").ok();

    assertThat(sum.intValue()).isEqualTo(42);
  }

  @Test
  void closedBackendPortIs502BackendUnavailable() {
    JsonNode p = timed("/api/closed/add?a=1&b=2", Duration.ofSeconds(5)).problem(502, "backend-unavailable");

    assertThat(p.get("retryable").booleanValue()).isTrue();
    assertThat(p.get("detail").textValue()).contains("add");
  }

  @Test
  void backendSlowerThanTheOperationTimeoutIs504() {
    JsonNode p = timed("/api/silent/add?a=1&b=2", Duration.ofSeconds(3)).problem(504, "gateway-timeout");

    assertThat(p.get("retryable").booleanValue()).isTrue();
    assertThat(p.get("detail").textValue()).contains("300 ms");
  }

  @Test
  void htmlErrorPageIs502SayingWhatCameBack() {
    JsonNode p = gateway.get("/api/html-error/add?a=1&b=2").problem(502, "bad-gateway");

    assertThat(p.get("detail").textValue()).contains("HTTP 500").contains("text/html");
    assertThat(p.get("detail").textValue()).doesNotContain("<html");
  }

  @Test
  void truncatedXmlIs502() {
    JsonNode p = gateway.get("/api/truncated/add?a=1&b=2").problem(502, "bad-gateway");

    assertThat(p.get("detail").textValue()).contains("not well-formed");
  }

  @Test
  void xmlThatIsNotASoapEnvelopeIs502() {
    JsonNode p = gateway.get("/api/not-soap/add?a=1&b=2").problem(502, "bad-gateway");

    assertThat(p.get("detail").textValue()).contains("not a SOAP envelope");
  }

  @Test
  void billionLaughsReplyIs502QuicklyWithoutExpandingEntities() {
    JsonNode p = timed("/api/laughs/add?a=1&b=2", Duration.ofSeconds(2)).problem(502, "bad-gateway");

    assertThat(p.get("detail").textValue()).contains("DTD");
    assertThat(gateway.get("/api/ok/add?a=1&b=1").ok().intValue()).as("the gateway is still healthy").isEqualTo(2);
  }

  @Test
  void replyLargerThanMaxResponseSizeIs502() {
    JsonNode p = gateway.get("/api/large/add?a=1&b=2").problem(502, "bad-gateway");

    assertThat(p.get("detail").textValue()).contains("larger than " + MAX_RESPONSE);
  }

  @Test
  void endlessReplyIsCutOffAtTheLimitQuickly() {
    JsonNode p = timed("/api/endless/add?a=1&b=2", Duration.ofSeconds(5)).problem(502, "bad-gateway");

    assertThat(p.get("detail").textValue()).contains("larger than " + MAX_RESPONSE);
  }
}
