package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.soap.SoapSamples;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CustomerService over SOAP 1.1 (document/literal wrapped, multi-file WSDL) through the
 * gateway: every JSON decision comes from the XSD. The backend is the real CXF service.
 */
class DocumentLiteralWrappedTest {
  private static final String TOKEN = "legacy-secret";

  @TempDir
  static Path config;

  private static SoapSamples samples;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), TOKEN);
    String backend = """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            service: CustomerService
            port: CustomerSoap11Port
            endpoint: "%s"
            headers:
              authHeader:
                token: ${LEGACY_TOKEN}
        """.formatted(ConfigFiles.wsdl("customers.wsdl"), samples.customersUrl());
    ConfigFiles.write(config, "customers.yaml", backend + """
        operations:
          - route: GET /api/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
            response:
              select: customer
            faults:
              CustomerNotFound: 404
          - route: GET /api/whole/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
          - route: GET /api/customers
            call: findCustomers
            request:
              lastName: query.lastName
              status: query.status
              maxResults: query.limit
            response:
              select: customer
          - route: POST /api/customers
            call: createCustomer
            request: body
            response:
              select: customer
          - route: GET /api/renamed/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
            response:
              select: customer
              rename:
                firstName: givenName
                address.postalCode: zip
        """);
    ConfigFiles.write(config, "customers-precise.yaml", backend + """
        options:
          preciseNumbersAsStrings: true
        operations:
          - route: GET /api/precise/customers/{id}
            call: getCustomer
            request:
              customerId: path.id
            response:
              select: customer
        """);
    gateway = GatewayUnderTest.start(config, Map.of("LEGACY_TOKEN", TOKEN));
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

  private static List<Long> ids(JsonNode customers) {
    assertThat(customers.isArray()).as("findCustomers answers an array: %s", customers).isTrue();
    List<Long> ids = new ArrayList<>();
    customers.forEach(c -> {
      assertThat(c.get("id").isIntegralNumber()).isTrue();
      ids.add(c.get("id").longValue());
    });
    return ids;
  }

  @Test
  void getCustomerByIdAnswersTheSelectedCustomerTypedByTheSchema() {
    JsonNode c = gateway.get("/api/customers/1").ok();

    assertThat(c.get("id").isIntegralNumber()).isTrue();
    assertThat(c.get("id").longValue()).isEqualTo(1);
    assertThat(c.get("firstName").textValue()).isEqualTo("John");
    assertThat(c.get("middleName").textValue()).isEqualTo("Robert");
    assertThat(c.get("lastName").textValue()).isEqualTo("Smith");
    assertThat(c.get("email").textValue()).isEqualTo("john.smith@example.com");
    assertThat(c.get("loyaltyPoints").isInt()).isTrue();
    assertThat(c.get("loyaltyPoints").intValue()).isEqualTo(1200);
    assertThat(c.get("vip").isBoolean()).isTrue();
    assertThat(c.get("vip").booleanValue()).isFalse();
    assertThat(c.get("birthDate").isTextual()).isTrue();
    assertThat(c.get("birthDate").textValue()).isEqualTo("1980-04-12");
    assertThat(c.get("createdAt").isTextual()).isTrue();
    assertThat(c.get("createdAt").textValue()).isEqualTo("2019-03-01T09:15:00Z");
    assertThat(c.get("address").isArray()).isTrue();
    assertThat(c.get("address")).hasSize(1);
    assertThat(c.get("address").get(0).get("city").textValue()).isEqualTo("London");
    assertThat(c.get("tag").isArray()).isTrue();
    assertThat(c.get("tag").get(0).textValue()).isEqualTo("newsletter");
    assertThat(c.has("customer")).as("select unwrapped the customer").isFalse();
  }

  @Test
  void withoutSelectTheWholeReplyElementIsAnswered() {
    JsonNode reply = gateway.get("/api/whole/customers/4").ok();

    assertThat(reply.get("customer").get("firstName").textValue()).isEqualTo("Yuki");
  }

  @Test
  void nilMiddleNameBecomesNull() {
    JsonNode c = gateway.get("/api/customers/2").ok();

    assertThat(c.has("middleName")).isTrue();
    assertThat(c.get("middleName").isNull()).isTrue();
  }

  @Test
  void absentOptionalElementsAreOmittedAndAbsentListsAreEmptyArrays() {
    JsonNode mary = gateway.get("/api/customers/2").ok();
    JsonNode peter = gateway.get("/api/customers/3").ok();

    assertThat(mary.has("email")).isFalse();
    assertThat(peter.has("birthDate")).isFalse();
    assertThat(mary.get("address").isArray()).isTrue();
    assertThat(mary.get("address")).isEmpty();
    assertThat(mary.get("tag")).isEmpty();
  }

  @Test
  void decimalsKeepTheirExactValue() {
    JsonNode john = gateway.get("/api/customers/1").ok();
    Reply seun = gateway.get("/api/customers/6");

    assertThat(john.get("creditLimit").isNumber()).isTrue();
    assertThat(john.get("creditLimit").decimalValue()).isEqualByComparingTo("2500.5");
    JsonNode s = seun.ok();
    assertThat(s.get("creditLimit").isNumber()).isTrue();
    assertThat(s.get("creditLimit").decimalValue()).isEqualTo(new BigDecimal("99999999.99"));
    assertThat(seun.body()).contains("\"creditLimit\":99999999.99");
    assertThat(s.get("loyaltyPoints").intValue()).isEqualTo(Integer.MAX_VALUE);
    assertThat(s.get("vip").booleanValue()).isTrue();
  }

  @Test
  void attributesBecomeMembers() {
    JsonNode yuki = gateway.get("/api/customers/4").ok();
    JsonNode john = gateway.get("/api/customers/1").ok();

    assertThat(yuki.get("version").isInt()).isTrue();
    assertThat(yuki.get("version").intValue()).isEqualTo(3);
    assertThat(john.has("version")).as("an absent attribute is omitted").isFalse();
    JsonNode addresses = yuki.get("address");
    assertThat(addresses).hasSize(2);
    assertThat(addresses.get(0).get("kind").textValue()).isEqualTo("WORK");
    assertThat(addresses.get(0).get("country").textValue()).isEqualTo("JP");
    assertThat(addresses.get(1).get("kind").textValue()).isEqualTo("HOME");
  }

  @Test
  void enumerationsAreTheirLexicalValues() {
    assertThat(gateway.get("/api/customers/2").ok().get("status").textValue()).isEqualTo("SUSPENDED");
    assertThat(gateway.get("/api/customers/3").ok().get("status").textValue()).isEqualTo("CLOSED");
  }

  @Test
  void findCustomersWithNoMatchAnswersAnEmptyArray() {
    JsonNode found = gateway.get("/api/customers?lastName=Nobody").ok();

    assertThat(ids(found)).isEmpty();
  }

  @Test
  void findCustomersWithOneMatchAnswersAnArrayOfOne() {
    JsonNode found = gateway.get("/api/customers?lastName=Nakamura").ok();

    assertThat(ids(found)).containsExactly(4L);
    assertThat(found.get(0).get("firstName").textValue()).isEqualTo("Yuki");
  }

  @Test
  void findCustomersWithManyMatchesAnswersAnArray() {
    JsonNode found = gateway.get("/api/customers?lastName=Smith").ok();

    assertThat(ids(found)).containsExactly(1L, 2L, 3L);
    assertThat(found.get(2).get("tag")).hasSize(2);
  }

  @Test
  void queryParametersAreConvertedByTheirXsdTypes() {
    assertThat(ids(gateway.get("/api/customers?lastName=Smith&status=SUSPENDED").ok())).containsExactly(2L);
    assertThat(ids(gateway.get("/api/customers?lastName=Smith&limit=2").ok())).containsExactly(1L, 2L);
    assertThat(ids(gateway.get("/api/customers?lastName=Smith&status=ACTIVE&limit=5").ok())).containsExactly(1L);
  }

  @Test
  void nonNumericIntQueryParameterIs400PointingAtTheParameter() {
    long before = samples.requestsReceived();

    JsonNode p = gateway.get("/api/customers?lastName=Smith&limit=two").problem(400, "invalid-request");

    assertThat(p.get("errors")).hasSize(1);
    assertThat(p.get("errors").get(0).get("pointer").textValue()).isEqualTo("query:limit");
    assertThat(p.get("errors").get(0).get("detail").textValue()).contains("two");
    assertThat(samples.requestsReceived()).isEqualTo(before);
  }

  @Test
  void unknownEnumValueInAQueryParameterIs400PointingAtTheParameter() {
    long before = samples.requestsReceived();

    JsonNode p = gateway.get("/api/customers?lastName=Smith&status=RETIRED").problem(400, "invalid-request");

    assertThat(p.get("errors")).hasSize(1);
    assertThat(p.get("errors").get(0).get("pointer").textValue()).isEqualTo("query:status");
    assertThat(p.get("errors").get(0).get("detail").textValue()).contains("RETIRED");
    assertThat(samples.requestsReceived()).isEqualTo(before);
  }

  @Test
  void intQueryParameterOutOfRangeIs400PointingAtTheParameter() {
    long before = samples.requestsReceived();

    JsonNode p = gateway.get("/api/customers?lastName=Smith&limit=99999999999").problem(400, "invalid-request");

    assertThat(p.get("errors").get(0).get("pointer").textValue()).isEqualTo("query:limit");
    assertThat(samples.requestsReceived()).isEqualTo(before);
  }

  @Test
  void missingRequiredQueryParameterIs400NamingTheParameter() {
    long before = samples.requestsReceived();

    JsonNode p = gateway.get("/api/customers?status=ACTIVE").problem(400, "invalid-request");

    assertThat(p.get("errors")).hasSize(1);
    assertThat(p.get("errors").get(0).get("pointer").textValue()).isEqualTo("query:lastName");
    assertThat(samples.requestsReceived()).isEqualTo(before);
  }

  @Test
  void createCustomerPostsTheBodyAndAnswersTheNewCustomer() {
    JsonNode created = gateway.postJson("/api/customers", """
        {"firstName": "Ada", "middleName": null, "lastName": "Lovelace", "email": "ada@example.org",
         "birthDate": "1815-12-10", "creditLimit": 1500.25,
         "address": [{"kind": "HOME", "street": "12 St James's Square", "city": "London",
                      "postalCode": "SW1Y 4JH", "country": "GB"}]}
        """).ok();

    assertThat(created.get("id").isIntegralNumber()).isTrue();
    long id = created.get("id").longValue();
    assertThat(id).isGreaterThan(6);
    assertThat(created.get("firstName").textValue()).isEqualTo("Ada");
    assertThat(created.get("middleName").isNull()).isTrue();
    assertThat(created.get("status").textValue()).isEqualTo("ACTIVE");
    assertThat(created.get("birthDate").textValue()).isEqualTo("1815-12-10");
    assertThat(created.get("creditLimit").decimalValue()).isEqualByComparingTo("1500.25");
    assertThat(created.get("createdAt").isTextual()).isTrue();
    assertThat(created.get("address").get(0).get("kind").textValue()).isEqualTo("HOME");
    assertThat(created.get("address").get(0).get("postalCode").textValue()).isEqualTo("SW1Y 4JH");

    JsonNode again = gateway.get("/api/customers/" + id).ok();
    assertThat(JsonCompare.firstDifference(created, again)).isNull();
  }

  @Test
  void preciseNumbersAsStringsRendersDecimalsAndLongsAsStrings() {
    JsonNode c = gateway.get("/api/precise/customers/6").ok();

    assertThat(c.get("creditLimit").isTextual()).isTrue();
    assertThat(c.get("creditLimit").textValue()).isEqualTo("99999999.99");
    assertThat(c.get("id").isTextual()).as("xs:long is precision-sensitive").isTrue();
    assertThat(c.get("id").textValue()).isEqualTo("6");
    assertThat(c.get("loyaltyPoints").isInt()).as("xs:int always fits a JSON number").isTrue();
    assertThat(c.get("loyaltyPoints").intValue()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void responseRenameRenamesMembersAlsoInsideArrays() {
    JsonNode c = gateway.get("/api/renamed/customers/4").ok();

    assertThat(c.get("givenName").textValue()).isEqualTo("Yuki");
    assertThat(c.has("firstName")).isFalse();
    assertThat(c.get("address")).hasSize(2);
    c.get("address").forEach(a -> {
      assertThat(a.has("postalCode")).isFalse();
      assertThat(a.get("zip").isTextual()).isTrue();
    });
    assertThat(c.get("address").get(0).get("zip").textValue()).isEqualTo("100-0005");
  }
}
