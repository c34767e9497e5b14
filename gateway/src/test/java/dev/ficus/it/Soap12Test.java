package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.soap.SoapSamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CustomerService through its SOAP 1.2 port (CustomerSoap12Port at /ws/customers12). The CXF
 * port rejects SOAP 1.1 envelopes, so a 200 here proves the gateway spoke SOAP 1.2.
 */
class Soap12Test {
  private static final String TOKEN = "legacy-secret";

  @TempDir
  static Path config;

  private static SoapSamples samples;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), TOKEN);
    ConfigFiles.write(config, "customers12.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            service: CustomerService
            port: CustomerSoap12Port
            endpoint: "%s"
            headers:
              authHeader:
                token: %s
        operations:
          - route: GET /api/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
            response:
              select: customer
            faults:
              CustomerNotFound: 404
          - route: GET /api/customers
            call: findCustomers
            request:
              lastName: query.lastName
            response:
              select: customer
          - route: POST /api/customers
            call: createCustomer
            request: body
            response:
              select: customer
          - route: POST /api/customers/{id}/visits
            call: recordVisit
            request:
              .: body
              customerId: path.id
        """.formatted(ConfigFiles.wsdl("customers.wsdl"), samples.customers12Url(), TOKEN));
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
  void getCustomerWorksOverSoap12() {
    JsonNode c = gateway.get("/api/customers/5").ok();

    assertThat(c.get("id").longValue()).isEqualTo(5);
    assertThat(c.get("firstName").textValue()).isEqualTo("Ana");
    assertThat(c.get("middleName").textValue()).isEqualTo("Lucía");
    assertThat(c.get("lastName").textValue()).isEqualTo("García");
    assertThat(c.get("creditLimit").decimalValue()).isEqualByComparingTo("7500.25");
    assertThat(c.get("createdAt").textValue()).isEqualTo("2020-02-29T17:45:10.250Z");
    assertThat(c.get("address").get(0).get("kind").textValue()).isEqualTo("WORK");
  }

  @Test
  void findCustomersAnswersArraysOverSoap12() {
    assertThat(gateway.get("/api/customers?lastName=Nakamura").ok()).hasSize(1);
    assertThat(gateway.get("/api/customers?lastName=Smith").ok()).hasSize(3);
    JsonNode none = gateway.get("/api/customers?lastName=Nobody").ok();
    assertThat(none.isArray()).isTrue();
    assertThat(none).isEmpty();
  }

  @Test
  void createCustomerWorksOverSoap12() {
    JsonNode created = gateway.postJson("/api/customers",
        "{\"firstName\":\"Grace\",\"lastName\":\"Hopper\",\"creditLimit\":0.01}").ok();

    assertThat(created.get("firstName").textValue()).isEqualTo("Grace");
    assertThat(created.get("creditLimit").decimalValue()).isEqualByComparingTo("0.01");
    assertThat(gateway.get("/api/customers/" + created.get("id").longValue()).ok().get("lastName").textValue())
        .isEqualTo("Hopper");
  }

  @Test
  void oneWayRecordVisitIsAcceptedOverSoap12() {
    samples.clearRecordedVisits();

    Reply r = gateway.postJson("/api/customers/3/visits", "{\"channel\":\"phone\",\"at\":\"2026-01-02T03:04:05Z\"}");

    assertThat(r.status()).isEqualTo(202);
    assertThat(samples.recordedVisits()).singleElement()
        .satisfies(v -> assertThat(v.customerId()).isEqualTo(3))
        .satisfies(v -> assertThat(v.channel()).isEqualTo("phone"));
  }

  @Test
  void declaredSoap12FaultIsMappedWithItsDetailConvertedBySchema() {
    JsonNode p = gateway.get("/api/customers/999").problem(404, "backend-fault");

    assertThat(p.get("fault").textValue()).isEqualTo("CustomerNotFound");
    assertThat(p.get("faultCode").textValue()).isEqualTo("Receiver");
    assertThat(p.get("detail").textValue()).isEqualTo("customer 999 not found");
    JsonNode detail = p.get("faultDetail");
    assertThat(detail.get("customerId").isIntegralNumber()).isTrue();
    assertThat(detail.get("customerId").longValue()).isEqualTo(999);
    assertThat(detail.get("message").textValue()).isEqualTo("customer 999 not found");
    assertThat(p.get("retryable").booleanValue()).isFalse();
  }

  @Test
  void undeclaredSoap12FaultIs502WithItsReceiverCode() {
    JsonNode p = gateway.get("/api/customers/500").problem(502, "bad-gateway");

    assertThat(p.get("faultCode").textValue()).isEqualTo("Receiver");
    assertThat(p.has("fault")).isFalse();
    assertThat(p.get("detail").textValue()).as("the Reason text is hidden by default")
        .doesNotContain("simulated backend failure").contains(p.get("requestId").textValue());
  }
}
