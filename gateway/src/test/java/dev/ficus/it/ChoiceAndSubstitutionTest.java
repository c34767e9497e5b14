package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * {@code xs:choice} groups that need no branch, and substitution groups, through the gateway
 * to a CXF service of the test's own ({@link EchoContractService}, contract
 * {@code contracts/contracts.wsdl}) and back. CXF validates requests and replies against
 * the schema and echoes the request, so an answer proves the gateway wrote valid XML and
 * equality with the request proves the reply was read by the same rules.
 */
class ChoiceAndSubstitutionTest {
  private static final String TNS = "urn:example:contracts";
  private static final String MORE = "urn:example:contracts:more";

  @TempDir
  static Path config;

  private static EchoContractService service;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() throws URISyntaxException {
    URL wsdl = ChoiceAndSubstitutionTest.class.getResource("contracts/contracts.wsdl");
    assertThat(wsdl).as("test contract on the classpath").isNotNull();
    service = EchoContractService.start(wsdl, new QName(TNS, "ContractsService"), "ContractsPort");
    StringBuilder operations = new StringBuilder();
    for (String op : List.of("pickOptional", "pickEmptiable", "pickNested", "pickNothing", "pickRequired", "draw")) {
      operations.append("  - route: POST /api/").append(op).append('\n')
          .append("    call: ").append(op).append('\n')
          .append("    request: body\n");
    }
    ConfigFiles.write(config, "contracts.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
        %s""".formatted(wsdl.toURI(), service.url(), operations));
    gateway = GatewayUnderTest.start(config, Map.of());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (service != null) {
      service.close();
    }
  }

  private static JsonNode parse(String json) {
    try {
      return Reply.JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Posts {@code json}, asserts the backend answered, and that the echo equals what was sent. */
  private static JsonNode roundTrips(String op, String json) {
    JsonNode echoed = answered(op, json);
    assertThat(JsonCompare.firstDifference(parse(json), echoed)).as("difference between sent and echoed").isNull();
    return echoed;
  }

  /** Posts {@code json}, asserts it reached the backend and was answered; returns the reply. */
  private static JsonNode answered(String op, String json) {
    int before = service.received().size();
    JsonNode echoed = gateway.postJson("/api/" + op, json).ok();
    assertThat(service.received()).as("requests that reached the service").hasSize(before + 1);
    return echoed;
  }

  /** Posts {@code json}, asserts a 400 invalid-request that never reached the backend; returns the errors. */
  private static JsonNode refused(String op, String json) {
    int before = service.received().size();
    JsonNode p = gateway.postJson("/api/" + op, json).problem(400, "invalid-request");
    assertThat(service.received()).as("requests that reached the service").hasSize(before);
    return p.get("errors");
  }

  private static Element lastRequest() {
    List<Element> all = service.received();
    return all.get(all.size() - 1);
  }

  private static List<QName> childNames(Element e) {
    List<QName> names = new java.util.ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        names.add(new QName(c.getNamespaceURI(), c.getLocalName()));
      }
    }
    return names;
  }

  @Test
  void aChoiceWhoseEveryBranchIsOptionalTakesNoBranch() {
    roundTrips("pickOptional", "{\"id\": \"1\"}");

    JsonNode typed = roundTrips("pickOptional", "{\"id\": \"2\", \"byNumber\": 7}");
    assertThat(typed.get("byNumber").isInt()).isTrue();
  }

  @Test
  void aChoiceWithABranchOfOptionalElementsTakesNoBranch() {
    roundTrips("pickEmptiable", "{\"id\": \"1\"}");
    roundTrips("pickEmptiable", "{\"id\": \"2\", \"from\": \"2026-01-31\"}");
  }

  @Test
  void anOptionalChoiceAsABranchLetsTheRequiredChoiceAroundItTakeNoBranch() {
    roundTrips("pickNested", "{\"id\": \"1\"}");
    roundTrips("pickNested", "{\"id\": \"2\", \"phone\": \"555\"}");
  }

  @Test
  void anEmptyChoiceAsksForNothing() {
    roundTrips("pickNothing", "{\"id\": \"1\"}");
  }

  @Test
  void aRequiredChoiceOfRequiredBranchesIsTheOnlyOneReportedWhenNothingIsGiven() {
    JsonNode errors = refused("pickRequired", "{\"id\": \"1\"}");

    assertThat(errors).as("errors: %s", errors).hasSize(1);
    assertThat(errors.get(0).get("detail").textValue()).isEqualTo("one of [email, phone] is required");
    roundTrips("pickRequired", "{\"id\": \"2\", \"email\": \"a@example.org\"}");
  }

  @Test
  void membersOfASubstitutionGroupTravelUnderTheirOwnNamesBothWays() {
    String json = """
        {
          "title": "t",
          "circle": [{"label": "c", "radius": 1.5}],
          "square": [{"side": 2}, {"label": "s2", "side": 3}],
          "roundel": [{"radius": 0.5}],
          "star": [{"points": 5}]
        }""";

    JsonNode echoed = roundTrips("draw", json);

    assertThat(echoed.get("square").get(1).get("side").isInt()).isTrue();
    assertThat(echoed.get("circle").get(0).get("radius").isNumber()).isTrue();
    assertThat(echoed.has("shape")).as("the abstract head is never filled in").isFalse();
    List<QName> sent = childNames(lastRequest());
    assertThat(sent.get(0)).isEqualTo(new QName(TNS, "title"));
    assertThat(sent.subList(1, sent.size())).as("members, each in its own namespace").containsExactlyInAnyOrder(
        new QName(TNS, "circle"), new QName(TNS, "square"), new QName(TNS, "square"), new QName(TNS, "roundel"),
        new QName(MORE, "star"));
  }

  @Test
  void aMemberOfAConcreteHeadIsTypedByItsOwnDeclaration() {
    JsonNode count = answered("draw", "{\"title\": \"t\", \"count\": 3}");
    JsonNode amount = answered("draw", "{\"title\": \"t\", \"amount\": 2.50}");

    assertThat(count.get("count").isInt()).isTrue();
    assertThat(count.get("count").intValue()).isEqualTo(3);
    assertThat(count.has("amount")).isFalse();
    assertThat(amount.get("amount").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(amount.has("count")).isFalse();
    assertThat(amount.get("circle")).as("members of the repeated head are arrays, [] when absent").isEmpty();
    assertThat(amount.has("shape")).as("the abstract head is never filled in").isFalse();
    assertThat(refused("draw", "{\"title\": \"t\", \"count\": 2.5}").get(0).get("pointer").textValue())
        .isEqualTo("/count");
  }

  @Test
  void anAbstractHeadIsRefusedAtItsPointerWithItsMembersNamed() {
    JsonNode errors = refused("draw", "{\"title\": \"t\", \"circle\": [{\"radius\": 1}], \"shape\": [{\"label\": \"x\"}]}");

    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("pointer").textValue()).isEqualTo("/shape/0");
    assertThat(errors.get(0).get("detail").textValue()).contains("abstract")
        .contains("circle").contains("square").contains("roundel").contains("star");
  }

  @Test
  void twoMembersInTheSingleHeadsPlaceAreRefused() {
    JsonNode errors = refused("draw", "{\"title\": \"t\", \"amount\": 1, \"count\": 2}");

    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("detail").textValue()).contains("amount").contains("count");
  }
}
