package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.config.ConfigException;
import dev.ficus.samples.soap.SoapSamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static {@code authHeader} SOAP header of a mapping reaches the real CustomerService,
 * which refuses any call without the right token. Each test starts its own gateway (with
 * its own token setting) against the one backend of the class.
 */
class SoapHeaderTest {
  private static final String TOKEN = "s3cret-for-header-tests";

  @TempDir
  static Path dirs;

  private static SoapSamples samples;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), TOKEN);
  }

  @AfterAll
  static void stop() {
    if (samples != null) {
      samples.close();
    }
  }

  /** A config directory whose mapping sends {@code tokenYaml} as the authHeader token. */
  private static Path mappingWithToken(String name, String tokenYaml) {
    Path dir = dirs.resolve(name);
    ConfigFiles.write(dir, "customers.yaml", """
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
          - route: GET /api/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
            response:
              select: customer
        """.formatted(ConfigFiles.wsdl("customers.wsdl"), samples.customersUrl(), tokenYaml));
    return dir;
  }

  @Test
  void staticAuthHeaderFromTheMappingReachesTheBackend() {
    try (GatewayUnderTest gw = GatewayUnderTest.start(mappingWithToken("literal", "\"" + TOKEN + "\""), Map.of())) {
      assertThat(gw.get("/api/customers/1").ok().get("firstName").textValue()).isEqualTo("John");
    }
  }

  @Test
  void wrongTokenGetsTheBackendsClientFaultAs400() {
    try (GatewayUnderTest gw = GatewayUnderTest.start(mappingWithToken("wrong", "not-the-token"), Map.of())) {
      JsonNode p = gw.get("/api/customers/1").problem(400, "backend-fault");

      assertThat(p.get("faultCode").textValue()).isEqualTo("Client");
      assertThat(p.get("detail").textValue()).as("a client-side fault's text is the backend's word to the client")
          .isEqualTo("invalid or missing auth token");
      assertThat(p.get("retryable").booleanValue()).isFalse();
      assertThat(p.has("fault")).as("the auth fault is not declared in the WSDL").isFalse();
    }
  }

  @Test
  void tokenVariableTakesItsValueFromTheEnvironment() {
    Path dir = mappingWithToken("env", "${LEGACY_TOKEN:-not-the-token}");

    try (GatewayUnderTest gw = GatewayUnderTest.start(dir, Map.of("LEGACY_TOKEN", TOKEN))) {
      assertThat(gw.get("/api/customers/4").ok().get("firstName").textValue()).isEqualTo("Yuki");
    }
  }

  @Test
  void tokenVariableFallsBackToItsDefaultWhenUnset() {
    Path dir = mappingWithToken("default", "${LEGACY_TOKEN:-" + TOKEN + "}");

    try (GatewayUnderTest gw = GatewayUnderTest.start(dir, Map.of())) {
      assertThat(gw.get("/api/customers/4").ok().get("lastName").textValue()).isEqualTo("Nakamura");
    }
  }

  @Test
  void environmentValueWinsOverTheDefault() {
    Path dir = mappingWithToken("override", "${LEGACY_TOKEN:-" + TOKEN + "}");

    try (GatewayUnderTest gw = GatewayUnderTest.start(dir, Map.of("LEGACY_TOKEN", "rotated-elsewhere"))) {
      assertThat(gw.get("/api/customers/4").problem(400, "backend-fault").get("faultCode").textValue())
          .isEqualTo("Client");
    }
  }

  @Test
  void unsetVariableWithoutDefaultRefusesToStartNamingTheVariable() {
    Path dir = mappingWithToken("unset", "${LEGACY_TOKEN}");

    assertThatThrownBy(() -> GatewayUnderTest.start(dir, Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement()
            .satisfies(p -> assertThat(p.toString()).startsWith("customers.yaml:9:").contains("LEGACY_TOKEN")));
  }
}
