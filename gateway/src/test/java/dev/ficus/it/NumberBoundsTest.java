package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.soap.SoapSamples;
import dev.ficus.testing.CpuTime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers whose literal is short and whose digits are not: on the way in (client JSON, path and
 * query values) they are a 400 at the member before anything reaches the backend (the real CXF
 * echo service, which counts nothing but would answer); on the way back (a stub answering a
 * crafted envelope) they are a 502, answered quickly, far inside the route's 5 s timeout.
 */
class NumberBoundsTest {
  private static final String ECHO_REPLY = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
      + "<soap:Body><e:echoResponse xmlns:e=\"urn:example:echo\"><e:text>t</e:text><e:count>1</e:count>%s"
      + "</e:echoResponse></soap:Body></soap:Envelope>";
  /**
   * The CPU the gateway may spend on one pathological reply: far under the 5 s timeout (the
   * clock stops at the reply's last byte; translation comes after it). CPU, not wall time, so
   * that a busy machine does not fail the test; the wall time is held to the timeout.
   */
  private static final Duration QUICK = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir
  static Path config;

  private static SoapSamples samples;
  private static StubBackend stub;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), "unused");
    stub = StubBackend.start()
        .route("/million-digits", (ex, req) -> xml(ex, "<e:price>1" + "0".repeat(1_000_000) + ".5</e:price>"))
        .route("/huge-double", (ex, req) -> xml(ex, "<e:ratio>1e999999999</e:ratio>"))
        .route("/tiny-decimal", (ex, req) -> xml(ex, "<e:price>0." + "0".repeat(5000) + "1</e:price>"))
        .route("/control-char", (ex, req) -> xml(ex, "<e:note>a&#1;b</e:note>"))
        .route("/deep", (ex, req) -> xml(ex, "<x:a xmlns:x='urn:x'>".repeat(70) + "</x:a>".repeat(70)))
        .route("/shortest", (ex, req) -> xml(ex, "<e:ratio>1.0E-300</e:ratio><e:weight>-0.0</e:weight>"));
    ConfigFiles.write(config, "gateway.yaml", """
        ficus: gateway/v1
        defaults:
          timeout: 5s
        """);
    write("echo", samples.echoUrl());
    for (String name : new String[] {"million-digits", "huge-double", "tiny-decimal", "control-char", "deep",
        "shortest"}) {
      write(name, stub.url("/" + name));
    }
    gateway = GatewayUnderTest.start(config, Map.of());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (stub != null) {
      stub.close();
    }
    if (samples != null) {
      samples.close();
    }
  }

  private static void write(String name, String endpoint) {
    ConfigFiles.write(config, name + ".yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: POST /api/%s
            call: echo
            request: body
          - route: GET /api/%s/price/{price}
            call: echo
            request: {text: query.text, count: query.count, price: path.price, ratio: query.ratio}
        """.formatted(ConfigFiles.wsdl("echo.wsdl"), endpoint, name, name));
  }

  private static void xml(com.sun.net.httpserver.HttpExchange ex, String members) throws java.io.IOException {
    StubBackend.reply(ex, 200, "text/xml; charset=utf-8",
        ECHO_REPLY.formatted(members).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode onlyError(Reply r, int status, String code) {
    JsonNode p = r.problem(status, code);
    assertThat(p.get("errors")).as(r.body()).hasSize(1);
    return p.get("errors").get(0);
  }

  @Test
  void aHugeExponentInTheBodyIsA400AtItsMember() {
    Reply r = gateway.postJson("/api/echo", "{\"text\":\"t\",\"count\":1,\"price\":1e999999999}");

    JsonNode e = onlyError(r, 400, "invalid-request");
    assertThat(e.get("pointer").asText()).isEqualTo("/price");
    assertThat(e.get("detail").asText()).contains("10^999999999").contains("10^400");
  }

  @Test
  void aHugeNegativeExponentAndAHugeExponentOnADoubleAreRefusedToo() {
    Reply r = gateway.postJson("/api/echo",
        "{\"text\":\"t\",\"count\":1,\"price\":1e-999999999,\"ratio\":-2.5E+999999999,\"weight\":1e39}");

    JsonNode p = r.problem(400, "invalid-request");
    assertThat(p.get("errors")).extracting(x -> x.get("pointer").asText())
        .containsExactlyInAnyOrder("/price", "/ratio", "/weight");
    assertThat(p.get("errors").toString()).contains("out of the range of xs:float");
  }

  @Test
  void aDecimalStringWithTooManyDigitsIsA400() {
    Reply r = gateway.postJson("/api/echo", "{\"text\":\"t\",\"count\":1,\"price\":\"1" + "1".repeat(5000) + "\"}");

    JsonNode e = onlyError(r, 400, "invalid-request");
    assertThat(e.get("pointer").asText()).isEqualTo("/price");
    assertThat(e.get("detail").asText()).contains("5001 characters");
  }

  @Test
  void aHugeExponentInAPathOrQueryValueIsA400NamingTheParameter() {
    Reply r = gateway.get("/api/echo/price/1e999999999?text=t&count=1&ratio=9e999999999");

    JsonNode p = r.problem(400, "invalid-request");
    assertThat(p.get("errors")).extracting(x -> x.get("pointer").asText())
        .containsExactlyInAnyOrder("path:price", "query:ratio");
  }

  @Test
  void numbersWithinTheBoundsStillReachTheBackendWithEveryDigit() {
    String price = "123456789012345678901234567890.123456789";
    JsonNode body = gateway.postJson("/api/echo", "{\"text\":\"t\",\"count\":1,\"price\":" + price
        + ",\"ratio\":4.9E-324}").ok();

    assertThat(body.get("price").decimalValue()).isEqualByComparingTo(price);
    assertThat(body.get("ratio").doubleValue()).isEqualTo(Double.MIN_VALUE);
    JsonNode viaPath = gateway.get("/api/echo/price/1E+3?text=t&count=1").ok();
    assertThat(viaPath.get("price").decimalValue()).isEqualByComparingTo("1000");
  }

  @Test
  void aMillionDigitDecimalInTheReplyIsAQuick502() {
    assertQuick502("/api/million-digits", "1000003 characters");
  }

  @Test
  void aHugeExponentOnADoubleInTheReplyIsAQuick502() {
    assertQuick502("/api/huge-double", "10^999999999");
  }

  @Test
  void aDecimalOfFiveThousandPlacesInTheReplyIsA502() {
    assertQuick502("/api/tiny-decimal", "characters");
  }

  @Test
  void aCharacterReferenceXmlCannotCarryInTheReplyIsA502() {
    assertQuick502("/api/control-char", "not well-formed");
  }

  @Test
  void aReplyNestedDeeperThan64LevelsIsA502() {
    assertQuick502("/api/deep", "64");
  }

  @Test
  void replyDoublesAreWrittenInTheirShortestFormWithTheirSign() {
    Reply r = gateway.postJson("/api/shortest", "{\"text\":\"t\",\"count\":1}");

    r.ok();
    assertThat(r.body()).contains("\"ratio\":1.0E-300").contains("\"weight\":-0.0");
  }

  private static void assertQuick502(String path, String detail) {
    long t0 = System.nanoTime();
    long cpu0 = CpuTime.process();
    Reply r = gateway.postJson(path, "{\"text\":\"t\",\"count\":1}");
    Duration cpu = CpuTime.processSince(cpu0);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    JsonNode p = r.problem(502, "bad-gateway");
    assertThat(p.get("detail").asText()).contains(detail);
    assertThat(cpu).as("CPU spent on the reply").isLessThan(QUICK);
    assertThat(took).as("answered in %s", took).isLessThan(TIMEOUT);
  }
}
