package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.samples.soap.SoapSamples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EchoService (document/literal bare): a Sample using every XSD feature goes through the
 * gateway to the real CXF service and back. The service echoes what it received, so equality
 * of the reply with the request proves both directions of the translation; and since CXF
 * validates against the schema, the request XML the gateway wrote was valid. Invalid JSON
 * must be refused by the gateway before anything reaches the service.
 */
class DocumentLiteralBareTest {
  @TempDir
  static Path config;

  private static SoapSamples samples;
  private static GatewayUnderTest gateway;

  /** Every feature of Sample; numbers written as a client would, not as XML prints them. */
  private static final String RICH_SAMPLE = """
      {
        "id": "s-1",
        "text": "h\\u00e9llo & <world> \\"quoted\\" \\u2603",
        "count": -7,
        "big": 9223372036854775807,
        "small": -32768,
        "tiny": 127,
        "unsigned": 4294967295,
        "ratio": 1.0E-10,
        "weight": 3.25,
        "price": 19.990,
        "flag": true,
        "day": "2024-02-29",
        "moment": "2024-02-29T12:34:56.789+01:00",
        "clock": "23:59:59",
        "span": "P1DT2H30M",
        "blob": "AAEC/w==",
        "hex": "00FF10",
        "color": "GREEN",
        "numbers": [1, -2, 3],
        "amount": {"value": 12.50, "currency": "EUR"},
        "note": null,
        "phone": "+44 20 7946 0000",
        "shape": [
          {"@type": "Circle", "name": "c", "radius": 1.5},
          {"@type": "Rectangle", "name": "r", "width": 2, "height": 3},
          {"name": "plain"}
        ],
        "legacyCode": "LC-1"
      }
      """;

  @BeforeAll
  static void start() throws IOException {
    samples = SoapSamples.start(Loopback.HOST, Loopback.freePort(), "unused");
    ConfigFiles.write(config, "echo.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: POST /api/echo
            call: echo
            request: body
        """.formatted(ConfigFiles.wsdl("echo.wsdl"), samples.echoUrl()));
    // The same contract with Shape declared abstract, for the abstract-type checks. The
    // service itself is unchanged: these requests must never reach it.
    // A sub-folder: the gateway reads only the *.yaml files directly in its directory.
    Path contracts = Files.createDirectories(config.resolve("contracts"));
    String abstractShape = Files.readString(ConfigFiles.WSDL_DIR.resolve("echo.wsdl"))
        .replace("<xsd:complexType name=\"Shape\">", "<xsd:complexType name=\"Shape\" abstract=\"true\">");
    assertThat(abstractShape).contains("abstract=\"true\"");
    Path abstractWsdl = ConfigFiles.write(contracts, "echo-abstract.wsdl", abstractShape);
    ConfigFiles.write(config, "echo-abstract.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: POST /api/abstract/echo
            call: echo
            request: body
        """.formatted(abstractWsdl.toUri(), samples.echoUrl()));
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

  private static JsonNode parse(String json) {
    try {
      return Reply.JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Posts an invalid Sample, asserts a 400 and that nothing reached the service; returns the errors. */
  private static JsonNode refused(String path, String json) {
    long before = samples.requestsReceived();
    JsonNode p = gateway.postJson(path, json).problem(400, "invalid-request");
    assertThat(samples.requestsReceived()).as("requests that reached the echo service").isEqualTo(before);
    assertThat(p.get("errors").isArray()).isTrue();
    return p.get("errors");
  }

  private static List<String> pointers(JsonNode errors) {
    List<String> out = new ArrayList<>();
    errors.forEach(e -> out.add(e.get("pointer").textValue()));
    return out;
  }

  @Test
  void richSampleRoundTripsUnchanged() {
    long before = samples.requestsReceived();
    JsonNode sent = parse(RICH_SAMPLE);

    JsonNode echoed = gateway.postJson("/api/echo", RICH_SAMPLE).ok();

    assertThat(JsonCompare.firstDifference(sent, echoed)).as("difference between sent and echoed").isNull();
    assertThat(samples.requestsReceived()).isEqualTo(before + 1);
  }

  @Test
  void echoedValuesHaveTheirJsonTypes() {
    JsonNode e = gateway.postJson("/api/echo", RICH_SAMPLE).ok();

    assertThat(e.get("count").isInt()).isTrue();
    assertThat(e.get("big").isIntegralNumber()).isTrue();
    assertThat(e.get("big").longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(e.get("unsigned").longValue()).isEqualTo(4294967295L);
    assertThat(e.get("ratio").isNumber()).isTrue();
    assertThat(e.get("price").decimalValue()).isEqualByComparingTo("19.99");
    assertThat(e.get("flag").isBoolean()).isTrue();
    assertThat(e.get("numbers").isArray()).isTrue();
    assertThat(e.get("numbers").get(1).intValue()).isEqualTo(-2);
    assertThat(e.get("amount").get("value").isNumber()).isTrue();
    assertThat(e.get("amount").get("currency").textValue()).isEqualTo("EUR");
    assertThat(e.get("note").isNull()).isTrue();
    assertThat(e.has("email")).isFalse();
    assertThat(e.get("shape").get(0).get("@type").textValue()).isEqualTo("Circle");
    assertThat(e.get("shape").get(1).get("@type").textValue()).isEqualTo("Rectangle");
    assertThat(e.get("shape").get(2).has("@type")).isFalse();
    assertThat(e.get("legacyCode").textValue()).isEqualTo("LC-1");
    assertThat(e.get("id").textValue()).isEqualTo("s-1");
  }

  @Test
  void minimalSampleRoundTripsWithTheOtherChoiceBranch() {
    String json = "{\"text\": \"\", \"count\": 0, \"email\": \"a@example.org\", \"shape\": []}";

    JsonNode echoed = gateway.postJson("/api/echo", json).ok();

    assertThat(JsonCompare.firstDifference(parse(json), echoed)).isNull();
  }

  @Test
  void negativeZeroReachesTheServiceAsNegativeZeroInADoubleAndAFloat() {
    String json = "{\"text\": \"\", \"count\": 0, \"email\": \"a@example.org\", \"shape\": [],"
        + " \"ratio\": -0.0, \"weight\": -0.0e0}";

    Reply r = gateway.postJson("/api/echo", json);
    r.ok();

    // The service's JAXB parsed the values into Java Double/Float and echoes them back; the
    // body is read as text (a decimal-exact JSON reader would drop the sign itself).
    assertThat(r.body()).as("xs:double").contains("\"ratio\":-0.0");
    assertThat(r.body()).as("xs:float").contains("\"weight\":-0.0");
  }

  @Test
  void aPositiveZeroAndAnIntegerMinusZeroStayPlainZeros() {
    String json = "{\"text\": \"\", \"count\": -0, \"email\": \"a@example.org\", \"shape\": [],"
        + " \"ratio\": 0.0}";

    Reply r = gateway.postJson("/api/echo", json);
    r.ok();

    assertThat(r.body()).contains("\"count\":0,").contains("\"ratio\":0.0");
  }

  @Test
  void concreteSubtypeThroughTheAbstractBaseRoundTrips() {
    String json = "{\"text\": \"t\", \"count\": 1, \"shape\": [{\"@type\": \"Circle\", \"name\": \"c\", \"radius\": 2}]}";

    JsonNode echoed = gateway.postJson("/api/abstract/echo", json).ok();

    assertThat(JsonCompare.firstDifference(parse(json), echoed)).isNull();
  }

  @Test
  void wrongTypeIs400PointingAtTheMemberAndNothingIsSent() {
    JsonNode errors = refused("/api/echo", "{\"text\": \"t\", \"count\": \"seven\"}");

    assertThat(pointers(errors)).containsExactly("/count");
    assertThat(errors.get(0).get("detail").textValue()).contains("xs:int");
  }

  @Test
  void valueOutOfRangeOfItsTypeIs400() {
    assertThat(pointers(refused("/api/echo", "{\"text\": \"t\", \"count\": 1, \"tiny\": 128}")))
        .containsExactly("/tiny");
    assertThat(pointers(refused("/api/echo", "{\"text\": \"t\", \"count\": 2147483648}")))
        .containsExactly("/count");
  }

  @Test
  void malformedLexicalValuesAre400() {
    JsonNode errors = refused("/api/echo",
        "{\"text\": \"t\", \"count\": 1, \"day\": \"29/02/2024\", \"hex\": \"XYZ\", \"span\": \"1 day\"}");

    assertThat(pointers(errors)).containsExactlyInAnyOrder("/day", "/hex", "/span");
  }

  @Test
  void unknownEnumValueIs400() {
    JsonNode errors = refused("/api/echo", "{\"text\": \"t\", \"count\": 1, \"color\": \"PURPLE\"}");

    assertThat(pointers(errors)).containsExactly("/color");
    assertThat(errors.get(0).get("detail").textValue()).contains("PURPLE");
  }

  @Test
  void wrongTypeInsideAListAndInsideAnArrayItemPointAtTheItem() {
    JsonNode errors = refused("/api/echo",
        "{\"text\": \"t\", \"count\": 1, \"numbers\": [1, \"two\"], \"shape\": [{\"name\": \"a\"}, {\"name\": 5}]}");

    assertThat(pointers(errors)).containsExactlyInAnyOrder("/numbers/1", "/shape/1/name");
  }

  @Test
  void bothBranchesOfAChoiceAre400PointingAtTheirParent() {
    JsonNode errors = refused("/api/echo",
        "{\"text\": \"t\", \"count\": 1, \"email\": \"a@example.org\", \"phone\": \"123\"}");

    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("detail").textValue()).contains("email").contains("phone");
    assertThat(errors.get(0).get("pointer").textValue()).as("RFC 6901: the whole document is \"\"").isEqualTo("");
  }

  @Test
  void unknownSubtypeIs400PointingAtTypeMember() {
    JsonNode errors = refused("/api/echo",
        "{\"text\": \"t\", \"count\": 1, \"shape\": [{\"@type\": \"Triangle\", \"name\": \"t\"}]}");

    assertThat(pointers(errors)).containsExactly("/shape/0/@type");
    assertThat(errors.get(0).get("detail").textValue()).contains("Triangle").contains("Circle");
  }

  @Test
  void abstractTypeWithoutASubtypeIs400() {
    JsonNode untyped = refused("/api/abstract/echo", "{\"text\": \"t\", \"count\": 1, \"shape\": [{\"name\": \"s\"}]}");
    JsonNode base = refused("/api/abstract/echo",
        "{\"text\": \"t\", \"count\": 1, \"shape\": [{\"@type\": \"Shape\", \"name\": \"s\"}]}");

    assertThat(pointers(untyped)).containsExactly("/shape/0");
    assertThat(untyped.get(0).get("detail").textValue()).contains("abstract");
    assertThat(pointers(base)).containsExactly("/shape/0/@type");
  }

  @Test
  void missingRequiredMembersAre400AllAtOnce() {
    JsonNode errors = refused("/api/echo", "{\"flag\": true}");

    assertThat(pointers(errors)).containsExactlyInAnyOrder("/text", "/count");
  }

  @Test
  void nullForANonNillableRequiredElementIs400() {
    assertThat(pointers(refused("/api/echo", "{\"text\": null, \"count\": 1}"))).containsExactly("/text");
  }

  @Test
  void everyProblemIsReportedInOneReply() {
    JsonNode errors = refused("/api/echo",
        "{\"count\": \"x\", \"color\": \"PURPLE\", \"amount\": {\"value\": \"much\"}, \"nickname\": \"n\"}");

    assertThat(pointers(errors)).containsExactlyInAnyOrder("/text", "/count", "/color", "/amount/value", "/nickname");
  }
}
