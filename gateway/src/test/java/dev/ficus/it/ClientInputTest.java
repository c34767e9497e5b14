package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.soap.SoapSamples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad client input is answered by the gateway itself, as problem+json, without calling the
 * backend (checked after every test with the service's request counter).
 */
class ClientInputTest {
  private static final String TOKEN = "legacy-secret";
  private static final int MAX_BODY = 2048;

  @TempDir
  static Path config;

  private static SoapSamples samples;
  private static GatewayUnderTest gateway;
  private long requestsBefore;
  private boolean backendCallExpected;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), TOKEN);
    ConfigFiles.write(config, "gateway.yaml", """
        ficus: gateway/v1
        limits:
          maxBodySize: 2KB
        """);
    ConfigFiles.write(config, "customers.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            port: CustomerSoap11Port
            endpoint: "%s"
            headers:
              authHeader: {token: %s}
        operations:
          - route: GET /api/customers/{id}
            call: getCustomer
            request: {customerId: path.id}
            response: {select: customer}
          - route: POST /api/customers
            call: createCustomer
            request: body
            response: {select: customer}
          - route: POST /api/lenient/customers
            call: createCustomer
            request: body
            response: {select: customer}
            unknownFields: ignore
        """.formatted(ConfigFiles.wsdl("customers.wsdl"), samples.customersUrl(), TOKEN));
    ConfigFiles.write(config, "customers-lenient.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            port: CustomerSoap11Port
            endpoint: "%s"
            headers:
              authHeader: {token: %s}
        options:
          unknownFields: ignore
        operations:
          - route: POST /api/lenient-mapping/customers
            call: createCustomer
            request: body
            response: {select: customer}
          - route: POST /api/strict-operation/customers
            call: createCustomer
            request: body
            response: {select: customer}
            unknownFields: reject
        """.formatted(ConfigFiles.wsdl("customers.wsdl"), samples.customersUrl(), TOKEN));
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
  void countRequests() {
    requestsBefore = samples.requestsReceived();
    backendCallExpected = false;
  }

  @AfterEach
  void nothingReachedTheBackendUnlessExpected() {
    if (!backendCallExpected) {
      assertThat(samples.requestsReceived()).as("requests that reached the backend").isEqualTo(requestsBefore);
    }
  }

  private static List<String> pointers(JsonNode problem) {
    List<String> out = new ArrayList<>();
    problem.get("errors").forEach(e -> out.add(e.get("pointer").textValue()));
    return out;
  }

  @Test
  void malformedJsonIs400WithLineAndColumn() {
    JsonNode p = gateway.postJson("/api/customers", "{\n  \"firstName\": \"Ada\",\n  \"lastName\": ,\n}")
        .problem(400, "malformed-json");

    assertThat(p.get("detail").textValue()).containsPattern("line 3, column \\d+");
  }

  @Test
  void trailingGarbageAfterTheJsonIs400() {
    gateway.postJson("/api/customers", "{\"firstName\": \"Ada\"} {}").problem(400, "malformed-json");
  }

  @Test
  void wrongTypesAre400NamingEveryFieldAtFault() {
    JsonNode p = gateway.postJson("/api/customers", "{\"firstName\": \"Ada\", \"creditLimit\": \"lots\"}")
        .problem(400, "invalid-request");

    assertThat(pointers(p)).containsExactlyInAnyOrder("/lastName", "/creditLimit");
    p.get("errors").forEach(e -> assertThat(e.get("detail").textValue()).isNotBlank());
  }

  @Test
  void wrongTypeDeepInsideAnArrayPointsAtIt() {
    JsonNode p = gateway.postJson("/api/customers", """
        {"firstName": "Ada", "lastName": "L", "creditLimit": 1,
         "address": [{"kind": "HOME", "street": "s", "city": "c", "postalCode": "p", "country": "GB"},
                     {"kind": "SUMMER", "street": "s", "city": 7, "postalCode": "p", "country": "GB"}]}
        """).problem(400, "invalid-request");

    assertThat(pointers(p)).containsExactlyInAnyOrder("/address/1/kind", "/address/1/city");
  }

  @Test
  void bodyThatIsNotAnObjectIs400() {
    gateway.postJson("/api/customers", "[1, 2]").problem(400, "invalid-request");
  }

  @Test
  void unknownFieldIs400ByDefault() {
    JsonNode p = gateway.postJson("/api/customers",
        "{\"firstName\": \"Ada\", \"lastName\": \"L\", \"creditLimit\": 1, \"nickname\": \"Countess\"}")
        .problem(400, "invalid-request");

    assertThat(pointers(p)).containsExactly("/nickname");
  }

  @Test
  void unknownFieldIsAcceptedWhereTheMappingSaysIgnore() {
    backendCallExpected = true;

    JsonNode c = gateway.postJson("/api/lenient/customers",
        "{\"firstName\": \"Ada\", \"lastName\": \"King\", \"creditLimit\": 1, \"nickname\": \"Countess\"}").ok();

    assertThat(c.get("lastName").textValue()).isEqualTo("King");
    assertThat(c.has("nickname")).isFalse();
  }

  // The oversized bodies go through a client of their own: a connection left unusable by a
  // 413 must not fail another test's request.

  @Test
  void unknownFieldsAreIgnoredEverywhereInAMappingThatSaysSo() {
    backendCallExpected = true;

    JsonNode c = gateway.postJson("/api/lenient-mapping/customers", """
        {"firstName": "Ada", "lastName": "Byron", "creditLimit": 3, "nickname": "Countess",
         "address": [{"kind": "HOME", "street": "s", "city": "London", "postalCode": "p", "country": "GB",
                      "floor": 2}]}
        """).ok();

    assertThat(c.get("lastName").textValue()).isEqualTo("Byron");
    assertThat(c.get("address").get(0).get("city").textValue()).isEqualTo("London");
    assertThat(c.get("address").get(0).has("floor")).isFalse();
  }

  @Test
  void operationSettingOverridesTheMappingsUnknownFieldsOption() {
    JsonNode p = gateway.postJson("/api/strict-operation/customers",
        "{\"firstName\": \"Ada\", \"lastName\": \"L\", \"creditLimit\": 1, \"nickname\": \"Countess\"}")
        .problem(400, "invalid-request");

    assertThat(pointers(p)).containsExactly("/nickname");
  }

  @Test
  void bodyOverMaxBodySizeIs413() {
    String big = "{\"firstName\": \"" + "a".repeat(MAX_BODY) + "\", \"lastName\": \"L\", \"creditLimit\": 1}";

    JsonNode p = gateway.send(GatewayUnderTest.newClient(), "POST", "/api/customers", "application/json",
        BodyPublishers.ofString(big)).problem(413, "payload-too-large");

    assertThat(p.get("detail").textValue()).contains(Integer.toString(MAX_BODY));
  }

  @Test
  void after413TheConnectionIsEitherClosedExplicitlyOrStillUsable() throws IOException {
    // A raw socket, so that what happens to the keep-alive connection is seen exactly.
    byte[] body = ("{\"firstName\": \"" + "a".repeat(MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket(Loopback.HOST, URI.create(gateway.url("/")).getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(("POST /api/customers HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();

      String first = RawHttp.readResponse(in);
      assertThat(first).startsWith("HTTP/1.1 413");
      if (first.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n")) {
        return; // the client is told not to reuse the connection: fine
      }
      String second;
      try {
        out.write("GET /api/customers/abc HTTP/1.1\r\nHost: gateway\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        second = RawHttp.readResponse(in);
      } catch (IOException e) {
        second = "(" + e + ")";
      }
      assertThat(second).as("the reply to a second request on the connection the 413 kept alive")
          .startsWith("HTTP/1.1 400");
    }
  }

  @Test
  void chunkedBodyOverMaxBodySizeIs413() {
    byte[] big = ("{\"firstName\": \"" + "a".repeat(4 * MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);

    gateway.send(GatewayUnderTest.newClient(), "POST", "/api/customers", "application/json",
        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).problem(413, "payload-too-large");
  }

  @Test
  void textPlainBodyIs415() {
    gateway.send("POST", "/api/customers", "text/plain", BodyPublishers.ofString("firstName=Ada"))
        .problem(415, "unsupported-media-type");
  }

  @Test
  void jsonWithCharsetParameterIsAccepted() {
    backendCallExpected = true;

    JsonNode c = gateway.send("POST", "/api/customers", "application/json; charset=utf-8",
        BodyPublishers.ofString("{\"firstName\": \"Zoë\", \"lastName\": \"Ørsted\", \"creditLimit\": 2}")).ok();

    assertThat(c.get("firstName").textValue()).isEqualTo("Zoë");
    assertThat(c.get("lastName").textValue()).isEqualTo("Ørsted");
  }

  @Test
  void wrongMethodOnAKnownPathIs405WithAllow() {
    Reply delete = gateway.send("DELETE", "/api/customers/1", null, BodyPublishers.noBody());
    Reply put = gateway.send("PUT", "/api/customers", "application/json", BodyPublishers.ofString("{}"));

    delete.problem(405, "method-not-allowed");
    assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
    put.problem(405, "method-not-allowed");
    assertThat(put.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void unknownPathIs404() {
    gateway.get("/api/orders/1").problem(404, "not-found");
    gateway.get("/api/customers/1/addresses").problem(404, "not-found");
  }

  @Test
  void pathVariableOfTheWrongTypeIs400PointingAtThePathVariable() {
    JsonNode p = gateway.get("/api/customers/abc").problem(400, "invalid-request");

    assertThat(pointers(p)).containsExactly("path:id");
  }
}
