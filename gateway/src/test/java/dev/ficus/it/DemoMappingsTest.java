package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.http.HttpSamples;
import dev.ficus.samples.soap.RecordedVisit;
import dev.ficus.samples.soap.SoapSamples;
import dev.ficus.server.GatewayServer;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the demo honest: the repository's own {@code mappings/} directory, unchanged, in
 * front of the real sample systems (CXF SOAP services, legacy monolith, new customer
 * service), with only the environment variables the configuration declares pointing at this
 * test's ports. The calls are those that {@code ficus demo} prints and that the README's tour
 * shows (dev.ficus.cli.DocsExamplesTest runs the README's and getting-started's examples as written). {@code GET /api/customers/{id}} is split between the SOAP mapping and the new
 * service; assertions about the SOAP translation force the mapping side with the route's
 * {@code X-Ficus-Target} header.
 */
class DemoMappingsTest {
  private static final String FORCE = "X-Ficus-Target";

  private static SoapSamples samples;
  private static HttpSamples http;
  private static GatewayUnderTest gateway;
  private static int listenPort;
  private static int adminPort;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), "legacy-secret");
    http = HttpSamples.start(Loopback.HOST, 0, 0);
    listenPort = Loopback.freePort();
    adminPort = Loopback.freePort();
    Map<String, String> env = Map.of(
        "CUSTOMER_SOAP_URL", samples.customersUrl(),
        "CALCULATOR_SOAP_URL", samples.calculatorUrl(),
        "MONOLITH_URL", http.monolithUrl(),
        "NEW_CUSTOMERS_URL", http.newCustomersUrl(),
        "FICUS_LISTEN", Loopback.HOST + ":" + listenPort,
        "FICUS_ADMIN_LISTEN", Loopback.HOST + ":" + adminPort);
    // No listen override: the gateway must take its address from gateway.yaml's ${FICUS_LISTEN}.
    gateway = GatewayUnderTest.of(GatewayServer.start(ConfigFiles.DEMO_MAPPINGS, env::get, null, null));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (http != null) {
      http.close();
    }
    if (samples != null) {
      samples.close();
    }
  }

  private static Reply getForcing(String target, String path) {
    return gateway.send("GET", path, null, BodyPublishers.noBody(), Map.of(FORCE, target));
  }

  @Test
  void gatewayAndAdminListenWhereTheEnvironmentSays() {
    assertThat(gateway.server().port()).isEqualTo(listenPort);
    assertThat(gateway.server().adminPort()).isEqualTo(adminPort);
  }

  @Test
  void customerByIdIsTypedByTheXsd() {
    Reply r = getForcing("mapping", "/api/customers/1");
    assertThat(r.headers().firstValue(FORCE)).hasValue("mapping");
    JsonNode c = r.ok();

    assertThat(c.get("id").longValue()).isEqualTo(1);
    assertThat(c.get("firstName").textValue()).isEqualTo("John");
    assertThat(c.get("creditLimit").decimalValue()).isEqualByComparingTo("2500.50");
    assertThat(c.get("address").isArray()).isTrue();
  }

  @Test
  void findByLastNameIsAlwaysAnArray() {
    assertThat(gateway.get("/api/customers?lastName=Smith").ok()).hasSize(3);
    JsonNode one = gateway.get("/api/customers?lastName=Nakamura").ok();
    assertThat(one.isArray()).isTrue();
    assertThat(one).hasSize(1);
    JsonNode none = gateway.get("/api/customers?lastName=Nobody").ok();
    assertThat(none.isArray()).isTrue();
    assertThat(none).isEmpty();
  }

  @Test
  void unknownCustomerIs404ProblemFromTheDeclaredFault() {
    JsonNode p = getForcing("mapping", "/api/customers/999").problem(404, "backend-fault");

    assertThat(p.get("fault").textValue()).isEqualTo("CustomerNotFound");
    assertThat(p.get("faultDetail").get("customerId").longValue()).isEqualTo(999);
  }

  @Test
  void createCustomerAnswersTheNewCustomer() {
    JsonNode c = gateway.postJson("/api/customers",
        "{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"creditLimit\":1500.25}").ok();

    assertThat(c.get("id").isIntegralNumber()).isTrue();
    assertThat(c.get("lastName").textValue()).isEqualTo("Lovelace");
    assertThat(c.get("creditLimit").decimalValue()).isEqualByComparingTo("1500.25");
  }

  @Test
  void invalidCustomerIs400NamingEveryFieldAtFault() {
    JsonNode p = gateway.postJson("/api/customers", "{\"firstName\":\"Ada\",\"creditLimit\":\"lots\"}")
        .problem(400, "invalid-request");

    List<String> pointers = new ArrayList<>();
    p.get("errors").forEach(e -> pointers.add(e.get("pointer").textValue()));
    assertThat(pointers).containsExactlyInAnyOrder("/lastName", "/creditLimit");
  }

  @Test
  void visitIsAcceptedAndRecorded() {
    samples.clearRecordedVisits();

    Reply r = gateway.postJson("/api/customers/1/visits", "{\"channel\":\"web\",\"at\":\"2026-11-28T10:00:00Z\"}");

    assertThat(r.status()).isEqualTo(202);
    assertThat(samples.recordedVisits())
        .containsExactly(new RecordedVisit(1, "web", OffsetDateTime.parse("2026-11-28T10:00:00Z")));
  }

  @Test
  void calculatorAddsAndRefusesToDivideByZero() {
    assertThat(gateway.get("/api/calculator/add?a=2&b=40").ok().intValue()).isEqualTo(42);
    assertThat(gateway.postJson("/api/calculator/divide", "{\"dividend\":1,\"divisor\":4}").ok()
        .get("quotient").decimalValue()).isEqualByComparingTo("0.25");
    gateway.postJson("/api/calculator/divide", "{\"dividend\":1,\"divisor\":0}").problem(422, "backend-fault");
  }

  @Test
  void bothSidesOfTheSplitAnswerCustomerOneAlike() {
    JsonNode legacy = getForcing("mapping", "/api/customers/1").ok();
    Reply v2 = getForcing("customers-v2", "/api/customers/1");

    assertThat(v2.headers().firstValue(FORCE)).hasValue("customers-v2");
    assertThat(JsonCompare.firstDifference(legacy, v2.ok())).isNull();
  }

  @Test
  void notMigratedPathsPassThroughToTheMonolith() {
    Reply r = gateway.get("/api/orders/1001");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("Server")).hasValue("legacy-shop/4.2");
    assertThat(r.json().toString()).contains("1001");
  }

  @Test
  void migrationReportIsServedOnTheAdminListener() {
    gateway.get("/api/orders/1001").ok();
    GatewayUnderTest admin = GatewayUnderTest.at(adminPort);

    Reply parity = admin.get("/migration/parity");
    Reply inventory = admin.get("/migration/inventory.csv");

    assertThat(parity.status()).isEqualTo(200);
    assertThat(parity.json().isContainerNode()).isTrue();
    assertThat(inventory.status()).isEqualTo(200);
    assertThat(inventory.contentType()).startsWith("text/csv");
    assertThat(inventory.body()).contains("/api/orders/");
  }

  @Test
  void unknownCustomerIsA404OnBothSidesOfTheCanaryAndTheLegacySideIsTheDeclaredFault() {
    // The demo splits GET /api/customers/{id} 90/10 between the legacy SOAP operation and the
    // new service, as the README says; the legacy side answers the declared fault as problem+json.
    Reply legacy = gateway.send("GET", "/api/customers/999", null, BodyPublishers.noBody(),
        Map.of(FORCE, "mapping"));
    assertThat(legacy.status()).isEqualTo(404);
    assertThat(legacy.contentType()).startsWith("application/problem+json");
    assertThat(legacy.json().path("type").asText()).isEqualTo("urn:ficus:problem:backend-fault");
    Reply v2 = gateway.send("GET", "/api/customers/999", null, BodyPublishers.noBody(),
        Map.of(FORCE, "customers-v2"));
    assertThat(v2.status()).isEqualTo(404);
    int legacyUsers = 0;
    for (int u = 0; u < 50; u++) {
      Reply r = gateway.send("GET", "/api/customers/999", null, BodyPublishers.noBody(), Map.of("X-User-Id", "user-" + u));
      assertThat(r.status()).isEqualTo(404);
      if ("mapping".equals(r.headers().firstValue(FORCE).orElse(""))) {
        legacyUsers++;
      }
    }
    assertThat(legacyUsers).as("about 90 % of 50 sticky users stay on the legacy side").isBetween(35, 50);
  }
}
