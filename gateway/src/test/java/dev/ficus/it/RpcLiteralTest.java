package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.soap.SoapSamples;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CalculatorService (SOAP 1.1, rpc/literal, unqualified part accessors) through the gateway. */
class RpcLiteralTest {
  @TempDir
  static Path config;

  private static SoapSamples samples;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), "unused");
    ConfigFiles.write(config, "calculator.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: GET /api/calculator/add
            call: add
            request:
              a: query.a
              b: query.b
            response:
              select: result
          - route: POST /api/calculator/divide
            call: divide
            request: body
            faults:
              DivisionByZero: 422
          - route: POST /api/calculator/stats
            call: stats
            request: body
        """.formatted(ConfigFiles.wsdl("calculator.wsdl"), samples.calculatorUrl()));
    gateway = GatewayUnderTest.start(config, Map.of());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (samples != null) {
      samples.close();
    }
  }

  @Test
  void addAnswersTheSumAsANumber() {
    JsonNode sum = gateway.get("/api/calculator/add?a=2&b=40").ok();

    assertThat(sum.isInt()).as("select of an xs:int part gives a bare number: %s", sum).isTrue();
    assertThat(sum.intValue()).isEqualTo(42);
    assertThat(gateway.get("/api/calculator/add?a=-7&b=3").ok().intValue()).isEqualTo(-4);
  }

  @Test
  void addOverflowIsTheBackendsUndeclaredFaultAs502() {
    JsonNode p = gateway.get("/api/calculator/add?a=2147483647&b=1").problem(502, "bad-gateway");

    assertThat(p.get("faultCode").textValue()).isEqualTo("Server");
    assertThat(p.get("retryable").booleanValue()).isTrue();
  }

  @Test
  void divideAnswersAnExactDecimal() {
    JsonNode q = gateway.postJson("/api/calculator/divide", "{\"dividend\": 10, \"divisor\": 4}").ok();

    assertThat(q.get("quotient").isNumber()).isTrue();
    assertThat(q.get("quotient").decimalValue()).isEqualByComparingTo("2.5");
  }

  @Test
  void divideCarriesDecimalsThatADoubleCannotHold() {
    // 2^53 + 1 and 0.1 are not representable as doubles; a conversion through double would
    // send 9007199254740992 and answer 0.30000000000000004-like noise.
    JsonNode big = gateway.postJson("/api/calculator/divide",
        "{\"dividend\": 9007199254740993, \"divisor\": 1}").ok();
    JsonNode tenth = gateway.postJson("/api/calculator/divide",
        "{\"dividend\": 0.3, \"divisor\": 0.1}").ok();

    assertThat(big.get("quotient").decimalValue()).isEqualByComparingTo(new BigDecimal("9007199254740993"));
    assertThat(tenth.get("quotient").decimalValue()).isEqualByComparingTo("3");
  }

  @Test
  void statsTakesAnArrayOfDoublesAndAnswersAComplexValue() {
    JsonNode s = gateway.postJson("/api/calculator/stats", "{\"values\": {\"value\": [1, 2.5, -0.5]}}").ok();

    JsonNode summary = s.get("summary");
    assertThat(summary.get("count").isInt()).isTrue();
    assertThat(summary.get("count").intValue()).isEqualTo(3);
    assertThat(summary.get("mean").isNumber()).isTrue();
    assertThat(summary.get("mean").decimalValue()).isEqualByComparingTo("1");
    assertThat(summary.get("max").decimalValue()).isEqualByComparingTo("2.5");
  }

  @Test
  void statsOfASingleValueAcceptsAnArrayOfOne() {
    JsonNode summary = gateway.postJson("/api/calculator/stats", "{\"values\": {\"value\": [7.25]}}").ok()
        .get("summary");

    assertThat(summary.get("count").intValue()).isEqualTo(1);
    assertThat(summary.get("max").decimalValue()).isEqualByComparingTo("7.25");
  }

  @Test
  void divisionByZeroIsTheDeclaredFaultMappedTo422() {
    JsonNode p = gateway.postJson("/api/calculator/divide", "{\"dividend\": 1, \"divisor\": 0}")
        .problem(422, "backend-fault");

    assertThat(p.get("fault").textValue()).isEqualTo("DivisionByZero");
    assertThat(p.get("faultCode").textValue()).isEqualTo("Server");
    assertThat(p.get("faultDetail").get("message").textValue()).isEqualTo("cannot divide 1 by zero");
    assertThat(p.get("retryable").booleanValue()).isFalse();
  }

  @Test
  void nonNumericQueryOperandIs400AndNothingIsSent() {
    long before = samples.requestsReceived();

    JsonNode p = gateway.get("/api/calculator/add?a=two&b=3").problem(400, "invalid-request");

    assertThat(p.get("errors").get(0).get("pointer").textValue()).isEqualTo("query:a");
    assertThat(samples.requestsReceived()).isEqualTo(before);
  }
}
