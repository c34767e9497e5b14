package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xs:QName values and xs:any content through the gateway to a CXF service of the test
 * ({@link WildcardService}) that resolves every QName it receives and reports what its
 * wildcard got. QNames are {@code {namespace}local} in JSON both ways; wildcard content is JSON
 * by the schema of a known global element, or the XML text of the element in {@code @any}.
 */
class QNameAndWildcardTest {
  private static final String EXT = "urn:ficus:test:ext";

  @TempDir
  static Path config;

  private static WildcardService.Running service;
  private static GatewayUnderTest gateway;

  @BeforeAll
  static void start() {
    service = WildcardService.start();
    ConfigFiles.write(config, "wild.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: POST /api/classify
            call: classify
            request: body
          - route: POST /api/describe
            call: describe
            request: body
        """.formatted(WildcardService.WSDL.toUri(), service.url()));
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

  @Test
  void aQNameInClarkNotationReachesTheBackendWithItsNamespaceDeclared() {
    JsonNode r = gateway.postJson("/api/classify", "{\"kind\": \"{urn:colors}Red\"}").ok();

    assertThat(r.get("kindNamespace").textValue()).as("the namespace the backend resolved").isEqualTo("urn:colors");
  }

  @Test
  void aReplyQNameComesBackInClarkNotationWhateverPrefixTheBackendChose() {
    JsonNode r = gateway.postJson("/api/classify", "{\"kind\": \"{urn:shapes}Circle\"}").ok();

    assertThat(r.get("kind").textValue()).as("echoed as zz:Circle with xmlns:zz").isEqualTo("{urn:shapes}Circle");
  }

  @Test
  void aPrefixedQNameInTheRequestIsRefusedNamingTheMember() {
    long before = requestsSeen();
    JsonNode p = gateway.postJson("/api/classify", "{\"kind\": \"tns:Red\"}").problem(400, "invalid-request");

    assertThat(p.get("errors").get(0).get("pointer").textValue()).isEqualTo("/kind");
    assertThat(p.get("errors").get(0).get("detail").textValue()).contains("'tns:Red'").contains("{urn:example}Red");
    assertThat(requestsSeen()).as("nothing reached the backend").isEqualTo(before);
  }

  @Test
  void aListOfQNamesKeepsTheNamespaceOfEachItemAndABareNameHasNone() {
    JsonNode r = gateway.postJson("/api/classify",
        "{\"kind\": \"k\", \"kinds\": [\"{urn:a}x\", \"{urn:b}y\", \"z\", \"{urn:a}w\"]}").ok();

    assertThat(r.get("kindsNamespaces").textValue()).isEqualTo("urn:a urn:b  urn:a");
    assertThat(texts(r.get("kinds"))).containsExactly("{urn:a}x", "{urn:b}y", "z", "{urn:a}w");
  }

  @Test
  void aQNameAttributeIsDeclaredOnItsElementAndAnUnprefixedReplyValueTakesTheDefaultNamespace() {
    JsonNode other = gateway.postJson("/api/classify", "{\"kind\": \"k\", \"tag\": {\"code\": \"{urn:codes}C7\"}}").ok();
    JsonNode own = gateway.postJson("/api/classify",
        "{\"kind\": \"k\", \"tag\": {\"code\": \"{urn:ficus:test:wild}Local\"}}").ok();

    assertThat(other.get("tagNamespace").textValue()).isEqualTo("urn:codes");
    assertThat(other.get("tag").get("code").textValue()).isEqualTo("{urn:codes}C7");
    assertThat(own.get("tagNamespace").textValue()).isEqualTo("urn:ficus:test:wild");
    assertThat(own.get("tag").get("code").textValue()).as("code=\"Local\" under xmlns=\"urn:ficus:test:wild\"")
        .isEqualTo("{urn:ficus:test:wild}Local");
  }

  @Test
  void aKnownGlobalElementFillsTheWildcardByNameAndComesBackAsJson() {
    JsonNode r = gateway.postJson("/api/describe",
        "{\"label\": \"l\", \"gadget\": [{\"label\": \"spanner\", \"size\": 12}]}").ok();

    assertThat(texts(r.get("seen"))).containsExactly("{" + EXT + "}gadget spanner12");
    assertThat(r.get("gadget").get(0).get("label").textValue()).isEqualTo("spanner");
    assertThat(r.get("gadget").get(0).get("size").intValue()).as("typed by the gadget's schema").isEqualTo(12);
  }

  @Test
  void wildcardContentNoSchemaDeclaresComesBackAsXmlTextInAtAny() {
    JsonNode r = gateway.postJson("/api/describe", "{\"label\": \"l\"}").ok();

    assertThat(texts(r.get("@any"))).containsExactly("<x:unknownThing xmlns:x=\"urn:nobody\" x:flag=\"1\">"
        + "<x:part>a &amp; b</x:part><x:empty/></x:unknownThing>");
  }

  @Test
  void aSkipWildcardKeepsEvenAKnownElementAsXmlText() {
    JsonNode r = gateway.postJson("/api/describe", "{\"label\": \"l\"}").ok();

    assertThat(texts(r.get("extras").get("@any"))).containsExactly("<e:gadget xmlns:e=\"" + EXT + "\">"
        + "<e:label>skipped</e:label><e:size>2</e:size></e:gadget>");
  }

  @Test
  void xmlTextInAtAnyReachesTheBackendAsThatElementAndComesBackTheSame() {
    String xml = "<o:other xmlns:o=\"urn:other\" o:n=\"1\">x &lt; y</o:other>";
    JsonNode r = gateway.postJson("/api/describe",
        "{\"label\": \"l\", \"@any\": [\"" + xml.replace("\"", "\\\"") + "\"]}").ok();

    assertThat(texts(r.get("seen"))).containsExactly("{urn:other}other x < y");
    assertThat(texts(r.get("@any"))).first().isEqualTo(xml);
  }

  @Test
  void xmlTextThatIsNotOneWellFormedElementIsRefusedNamingTheItem() {
    long before = requestsSeen();
    JsonNode p = gateway.postJson("/api/describe",
        "{\"label\": \"l\", \"@any\": [\"<o:a xmlns:o='urn:o'/>\", \"<a/></describe><b/>\"]}").problem(400, "invalid-request");

    assertThat(p.get("errors")).hasSize(1);
    assertThat(p.get("errors").get(0).get("pointer").textValue()).isEqualTo("/@any/1");
    assertThat(requestsSeen()).isEqualTo(before);
  }

  /** A guard (it held before wildcards were carried): the wildcard does not swallow typos. */
  @Test
  void aMemberTheWildcardDoesNotKnowIsStillAnUnknownField() {
    JsonNode p = gateway.postJson("/api/describe", "{\"label\": \"l\", \"gizmo\": 1}").problem(400, "invalid-request");

    assertThat(p.get("errors").get(0).get("pointer").textValue()).isEqualTo("/gizmo");
  }

  private static long requestsSeen() {
    return service.calls();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    assertThat(array).as("an array").isNotNull();
    array.forEach(n -> out.add(n.textValue()));
    return out;
  }
}
