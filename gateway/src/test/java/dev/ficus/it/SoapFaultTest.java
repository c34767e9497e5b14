package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.soap.SoapSamples;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SOAP faults of the real CustomerService become problem+json: declared faults by their
 * mapping rule (or 500), undeclared ones 502 (their text logged, not sent, unless the backend
 * says {@code faultDetail: pass}), and fault-code rules apply to both. Customer
 * 999 is the declared CustomerNotFound fault; customer 500 an undeclared Server fault.
 */
class SoapFaultTest {
  private static final String TOKEN = "legacy-secret";

  @TempDir
  static Path config;

  private static final Logger FAULT_LOG = Logger.getLogger("dev.ficus.soap.FaultPlan");

  private static SoapSamples samples;
  private static final LogLines logged = new LogLines();

  /** The messages logged by the SOAP fault translation while the tests run. */
  private static final class LogLines extends Handler {
    private final java.util.concurrent.ConcurrentLinkedQueue<String> lines = new java.util.concurrent.ConcurrentLinkedQueue<>();

    java.util.List<String> lines() {
      return java.util.List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord r) {
      lines.add(r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
  private static GatewayUnderTest gateway;

  private static String backend(String token) {
    return backend(token, "");
  }

  private static String backend(String token, String more) {
    return backend("CustomerSoap11Port", samples.customersUrl(), token, more);
  }

  private static String backend(String port, String endpoint, String token, String more) {
    return """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            port: %s
            endpoint: "%s"
            headers:
              authHeader:
                token: %s
        %s""".formatted(ConfigFiles.wsdl("customers.wsdl"), port, endpoint, token, more);
  }

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), TOKEN);
    ConfigFiles.write(config, "customers.yaml", backend(TOKEN) + """
        operations:
          - route: GET /api/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
            response: {select: customer}
            faults: {CustomerNotFound: 404}
          - route: GET /api/unmapped/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
          - route: GET /api/by-code/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
            faults: {CustomerNotFound: 404, Server: 503}
          - route: GET /api/by-detail-element/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
            faults: {customerNotFound: 410}
        """);
    ConfigFiles.write(config, "customers-unauthorised.yaml", backend("wrong-token") + """
        operations:
          - route: GET /api/unauthorised/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
            faults: {Client: 400}
          - route: GET /api/unauthorised-undeclared/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
        """);
    ConfigFiles.write(config, "customers12-unauthorised.yaml",
        backend("CustomerSoap12Port", samples.customers12Url(), "wrong-token", "") + """
        operations:
          - route: GET /api/unauthorised12/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
        """);
    ConfigFiles.write(config, "customers-passing.yaml", backend(TOKEN, "    faultDetail: pass\n") + """
        operations:
          - route: GET /api/passing/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
        """);
    gateway = GatewayUnderTest.start(config, Map.of());
    FAULT_LOG.addHandler(logged);
  }

  @AfterAll
  static void stop() {
    FAULT_LOG.removeHandler(logged);
    if (gateway != null) {
      gateway.close();
    }
    if (samples != null) {
      samples.close();
    }
  }

  @Test
  void declaredFaultIsMappedToItsStatusWithTheDetailConvertedBySchema() {
    JsonNode p = gateway.get("/api/customers/999").problem(404, "backend-fault");

    assertThat(p.get("title").textValue()).contains("CustomerNotFound");
    assertThat(p.get("detail").textValue()).isEqualTo("customer 999 not found");
    assertThat(p.get("faultCode").textValue()).isEqualTo("Server");
    assertThat(p.get("fault").textValue()).isEqualTo("CustomerNotFound");
    JsonNode detail = p.get("faultDetail");
    assertThat(detail.get("customerId").isIntegralNumber()).as("xs:long in the detail is a number").isTrue();
    assertThat(detail.get("customerId").longValue()).isEqualTo(999);
    assertThat(detail.get("message").textValue()).isEqualTo("customer 999 not found");
    assertThat(p.get("retryable").booleanValue()).isFalse();
  }

  @Test
  void declaredButUnmappedFaultIs500() {
    JsonNode p = gateway.get("/api/unmapped/customers/998").problem(500, "backend-fault");

    assertThat(p.get("fault").textValue()).isEqualTo("CustomerNotFound");
    assertThat(p.get("faultDetail").get("customerId").longValue()).isEqualTo(998);
  }

  @Test
  void undeclaredFaultIs502AndItsTextGoesToTheLogNotToTheClient() {
    JsonNode p = gateway.get("/api/customers/500").problem(502, "bad-gateway");

    assertThat(p.get("faultCode").textValue()).isEqualTo("Server");
    assertThat(p.has("fault")).isFalse();
    assertThat(p.toString()).doesNotContain("simulated backend failure");
    String id = p.get("requestId").textValue();
    assertThat(p.get("detail").textValue()).contains("getCustomer").contains("request id " + id);
    assertThat(p.get("retryable").booleanValue()).isTrue();
    assertThat(logged.lines()).anyMatch(l -> l.startsWith("request " + id + ": ")
        && l.contains("simulated backend failure while loading customer 500"));
  }

  @Test
  void theClientsPlainRequestIdNamesTheHiddenFaultAndAForgedOneIsReplaced() {
    Reply mine = gateway.send("GET", "/api/customers/500", null, BodyPublishers.noBody(), Map.of("X-Request-Id", "ops-42"));
    assertThat(mine.problem(502, "bad-gateway").get("requestId").textValue()).isEqualTo("ops-42");
    assertThat(logged.lines()).anyMatch(l -> l.startsWith("request ops-42: "));

    Reply forged = gateway.send("GET", "/api/customers/500", null, BodyPublishers.noBody(),
        Map.of("X-Request-Id", "ops-43 INFO: admin logged in"));
    assertThat(forged.problem(502, "bad-gateway").get("requestId").textValue()).matches("[0-9a-f]{16}");
  }

  @Test
  void aBackendSetToPassSendsTheUndeclaredFaultsText() {
    JsonNode p = gateway.get("/api/passing/customers/500").problem(502, "bad-gateway");

    assertThat(p.get("detail").textValue()).isEqualTo("simulated backend failure while loading customer 500");
    assertThat(p.has("requestId")).isFalse();
  }

  @Test
  void faultCodeRuleMapsAnUndeclaredServerFault() {
    JsonNode p = gateway.get("/api/by-code/customers/500").problem(503, "bad-gateway");

    assertThat(p.get("faultCode").textValue()).isEqualTo("Server");
  }

  @Test
  void ruleForTheDeclaredFaultWinsOverTheFaultCodeRule() {
    JsonNode p = gateway.get("/api/by-code/customers/999").problem(404, "backend-fault");

    assertThat(p.get("fault").textValue()).isEqualTo("CustomerNotFound");
  }

  @Test
  void declaredFaultCanBeMappedByItsDetailElementName() {
    gateway.get("/api/by-detail-element/customers/999").problem(410, "backend-fault");
  }

  @Test
  void anUndeclaredClientFaultIsA400ThatSaysTheBackendRejectedTheRequestAndIsNotRetryable() {
    JsonNode p = gateway.get("/api/unauthorised-undeclared/customers/1").problem(400, "backend-fault");

    assertThat(p.get("title").textValue()).isEqualTo("Backend rejected the request");
    assertThat(p.get("faultCode").textValue()).isEqualTo("Client");
    assertThat(p.get("detail").textValue()).as("the backend's own words, not hidden").isEqualTo(
        "invalid or missing auth token");
    assertThat(p.get("retryable").booleanValue()).isFalse();
    assertThat(p.has("requestId")).isFalse();
  }

  @Test
  void anUndeclaredSoap12SenderFaultIsA400LikeAClientFault() {
    JsonNode p = gateway.get("/api/unauthorised12/customers/1").problem(400, "backend-fault");

    assertThat(p.get("faultCode").textValue()).isEqualTo("Sender");
    assertThat(p.get("detail").textValue()).isEqualTo("invalid or missing auth token");
    assertThat(p.get("retryable").booleanValue()).isFalse();
  }

  @Test
  void clientFaultCodeRuleMapsTheBackendsAuthRefusal() {
    JsonNode p = gateway.get("/api/unauthorised/customers/1").problem(400, "backend-fault");

    assertThat(p.get("faultCode").textValue()).isEqualTo("Client");
    assertThat(p.get("detail").textValue()).isEqualTo("invalid or missing auth token");
    assertThat(p.get("retryable").booleanValue()).as("a 4xx is not worth retrying unchanged").isFalse();
  }

  @Test
  void successfulCallsOnTheSameRoutesAreUnaffected() {
    assertThat(gateway.get("/api/customers/2").ok().get("firstName").textValue()).isEqualTo("Mary");
    assertThat(gateway.get("/api/unmapped/customers/2").ok().get("customer").get("id").longValue()).isEqualTo(2);
  }
}
