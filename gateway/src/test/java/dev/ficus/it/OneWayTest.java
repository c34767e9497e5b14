package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.soap.RecordedVisit;
import dev.ficus.samples.soap.SoapSamples;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-way recordVisit operation: 202 Accepted, and the real service has the visit. */
class OneWayTest {
  private static final String TOKEN = "legacy-secret";

  @TempDir
  static Path config;

  private static SoapSamples samples;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), TOKEN);
    String mapping = """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            port: CustomerSoap11Port
            endpoint: "%s"
            headers:
              authHeader:
                token: %s
        operations:
          - route: POST %s
            call: recordVisit
            request:
              .: body
              customerId: path.id
        """;
    String wsdl = ConfigFiles.wsdl("customers.wsdl");
    ConfigFiles.write(config, "visits.yaml",
        mapping.formatted(wsdl, samples.customersUrl(), TOKEN, "/api/customers/{id}/visits"));
    ConfigFiles.write(config, "visits-unauthorised.yaml",
        mapping.formatted(wsdl, samples.customersUrl(), "wrong-token", "/api/unauthorised/customers/{id}/visits"));
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

  @BeforeEach
  void forgetVisits() {
    samples.clearRecordedVisits();
  }

  @Test
  void recordVisitAnswers202AndTheServiceRecordsTheVisit() {
    Reply r = gateway.postJson("/api/customers/4/visits", "{\"channel\": \"web\", \"at\": \"2026-11-28T10:00:00Z\"}");

    assertThat(r.status()).isEqualTo(202);
    assertThat(r.body()).isEmpty();
    assertThat(samples.recordedVisits())
        .containsExactly(new RecordedVisit(4, "web", OffsetDateTime.parse("2026-11-28T10:00:00Z")));
  }

  @Test
  void invalidOneWayRequestIs400AndNoVisitIsRecorded() {
    long before = samples.requestsReceived();

    Reply r = gateway.postJson("/api/customers/4/visits", "{\"at\": \"yesterday\"}");

    assertThat(r.problem(400, "invalid-request").get("errors")).hasSize(2);
    assertThat(samples.recordedVisits()).isEmpty();
    assertThat(samples.requestsReceived()).isEqualTo(before);
  }

  @Test
  void oneWayCallRefusedByTheBackendIsNotReportedAsAccepted() {
    Reply r = gateway.postJson("/api/unauthorised/customers/4/visits",
        "{\"channel\": \"web\", \"at\": \"2026-11-28T10:00:00Z\"}");

    assertThat(r.problem(400, "backend-fault").get("faultCode").textValue()).isEqualTo("Client");
    assertThat(samples.recordedVisits()).isEmpty();
  }
}
