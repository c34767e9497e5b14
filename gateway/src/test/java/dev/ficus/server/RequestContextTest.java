package dev.ficus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.chain.TraceParent;
import dev.ficus.testing.HeaderRecorder;
import dev.ficus.testing.RecordingCalculator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request context stage: every hop a request reaches (the monolith through the
 * pass-through, a shadow target, a real CXF SOAP backend) gets the same request id and W3C trace
 * context: the client's when valid, the gateway's otherwise.
 */
class RequestContextTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @TempDir
  static Path dir;

  private static HeaderRecorder monolith;
  private static HeaderRecorder shadow;
  private static RecordingCalculator soap;
  private static GatewayServer gateway;

  @BeforeAll
  static void start() throws IOException {
    monolith = new HeaderRecorder("monolith");
    shadow = new HeaderRecorder("shadow");
    soap = new RecordingCalculator(freePort());
    Files.writeString(dir.resolve("gateway.yaml"), """
        ficus: gateway/v1
        listen: 127.0.0.1:0
        upstreams:
          monolith: { url: "%s" }
          copy: { url: "%s" }
        routes:
          - path: /shadowed/**
            to: monolith
            shadow: { to: copy }
          - path: /**
            to: monolith
        """.formatted(monolith.url(), shadow.url()));
    Files.writeString(dir.resolve("calculator.yaml"), """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: GET /api/add
            call: add
            request:
              a: query.a
              b: query.b
            response:
              select: result
        """.formatted(Path.of("..", "wsdl", "calculator.wsdl").toAbsolutePath().normalize(), soap.url()));
    gateway = GatewayServer.start(dir, k -> null, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    soap.close();
    shadow.close();
    monolith.close();
  }

  @Test
  void aRequestWithoutIdOrTraceGetsTheGatewaysOnEveryHop() throws Exception {
    assertThat(call("/legacy/page").statusCode()).isEqualTo(200);
    Map<String, List<String>> m = monolith.next();
    assertThat(m.get("x-request-id")).singleElement().asString().matches("[0-9a-f]{16}");
    TraceParent started = TraceParent.parse(m.get("traceparent").get(0));
    assertThat(started).as("a valid W3C traceparent").isNotNull();
    assertThat(m).doesNotContainKey("tracestate");

    assertThat(call("/api/add?a=1&b=2").body()).isEqualTo("3");
    Map<String, List<String>> s = soap.next();
    assertThat(s.get("x-request-id")).singleElement().asString().matches("[0-9a-f]{16}")
        .isNotEqualTo(m.get("x-request-id").get(0));
    assertThat(TraceParent.parse(s.get("traceparent").get(0)).traceId()).as("a trace of its own")
        .isNotEqualTo(started.traceId());
  }

  @Test
  void theClientsValidIdAndTraceReachTheMonolithAndTheSoapBackendUnchanged() throws Exception {
    call("/legacy/page", "X-Request-Id", "order-42.retry:1", "traceparent", TRACE, "tracestate", "vendor=abc");
    Map<String, List<String>> m = monolith.next();
    assertThat(m.get("x-request-id")).containsExactly("order-42.retry:1");
    assertThat(m.get("traceparent")).containsExactly(TRACE);
    assertThat(m.get("tracestate")).containsExactly("vendor=abc");

    call("/api/add?a=1&b=2", "X-Request-Id", "order-43", "traceparent", TRACE, "tracestate", "vendor=abc");
    Map<String, List<String>> s = soap.next();
    assertThat(s.get("x-request-id")).containsExactly("order-43");
    assertThat(s.get("traceparent")).containsExactly(TRACE);
    assertThat(s.get("tracestate")).containsExactly("vendor=abc");
  }

  @Test
  void anIdThatCouldForgeLogLinesAndAnInvalidTraceAreReplacedAndTheTraceStateDropped() throws Exception {
    String zeros = "00-00000000000000000000000000000000-00f067aa0ba902b7-01";
    call("/legacy/page", "X-Request-Id", "a b\tc", "traceparent", zeros, "tracestate", "vendor=abc");
    Map<String, List<String>> m = monolith.next();
    assertThat(m.get("x-request-id")).singleElement().asString().matches("[0-9a-f]{16}");
    assertThat(m.get("traceparent")).singleElement().asString().isNotEqualTo(zeros);
    assertThat(TraceParent.parse(m.get("traceparent").get(0))).isNotNull();
    assertThat(m).as("W3C: a tracestate goes with its traceparent").doesNotContainKey("tracestate");

    call("/legacy/page", "X-Request-Id", "x".repeat(65));
    assertThat(monolith.next().get("x-request-id")).singleElement().asString().matches("[0-9a-f]{16}");
  }

  @Test
  void aShadowCopyCarriesTheSameIdAndTraceAsThePrimary() throws Exception {
    call("/shadowed/item");
    Map<String, List<String>> primary = monolith.next();
    Map<String, List<String>> copy = shadow.next();
    assertThat(copy.get("x-request-id")).isEqualTo(primary.get("x-request-id"));
    assertThat(copy.get("traceparent")).isEqualTo(primary.get("traceparent"));
  }

  private static HttpResponse<String> call(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
