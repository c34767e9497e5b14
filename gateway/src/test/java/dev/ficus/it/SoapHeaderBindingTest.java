package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.config.ConfigException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request {@code soap:header} parts filled per request (from the path, an HTTP header and the
 * body) and reply header parts returned (as JSON members and as HTTP headers), against the
 * code-first CXF {@link TicketService}, whose WSDL the gateway loads by URL.
 */
class SoapHeaderBindingTest {
  @TempDir
  static Path dirs;

  private static TicketService tickets;
  /** Replies of the TicketService contract with headers no well-behaved CXF service sends. */
  private static StubBackend stub;

  private static final String RETURN_BOTH = """
      response:
        select: ticket
        soapHeaders:
          session: body._session
          serverVersion: header.X-Server-Version""";

  @BeforeAll
  static void start() {
    tickets = TicketService.start();
    stub = StubBackend.start()
        .route("/must-understand", (ex, req) -> reply(ex, "<x:security xmlns:x='urn:other' soap:mustUnderstand='1'>"
            + "<x:token>abc</x:token></x:security><t:session><id>s-1</id><remaining>3</remaining></t:session>"))
        .route("/not-an-int", (ex, req) -> reply(ex, "<t:serverVersion>seven</t:serverVersion>"))
        .route("/deep", (ex, req) -> reply(ex, "<t:session>" + "<x:a xmlns:x='urn:x'>".repeat(70)
            + "</x:a>".repeat(70) + "</t:session>"));
  }

  private static void reply(com.sun.net.httpserver.HttpExchange ex, String headers) throws java.io.IOException {
    StubBackend.reply(ex, 200, "text/xml; charset=utf-8", ("<soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/"
        + "soap/envelope/' xmlns:t='urn:ficus:test:tickets'><soap:Header>" + headers + "</soap:Header><soap:Body>"
        + "<t:openResponse><ticket><number>1</number><tenant>2</tenant></ticket></t:openResponse></soap:Body>"
        + "</soap:Envelope>").getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    if (tickets != null) {
      tickets.close();
    }
    if (stub != null) {
      stub.close();
    }
  }

  @Test
  void replyHeadersTheMappingDoesNotNameAreIgnoredEvenWithMustUnderstand() {
    Path dir = mapping("mu", tickets.soap11Url() + "?wsdl", stub.url("/must-understand"), RETURN_BOTH);

    try (GatewayUnderTest gw = GatewayUnderTest.start(dir, Map.of())) {
      Reply r = open(gw, "1", "ada");
      JsonNode t = r.ok();

      assertThat(t.get("_session").get("id").textValue()).isEqualTo("s-1");
      assertThat(t.has("security")).isFalse();
      assertThat(r.headers().firstValue("X-Server-Version")).as("absent from the reply: no HTTP header").isEmpty();
    }
  }

  @Test
  void aReplyHeaderThatBreaksItsSchemaIsA502NamingIt() {
    Path dir = mapping("nan", tickets.soap11Url() + "?wsdl", stub.url("/not-an-int"), RETURN_BOTH);

    try (GatewayUnderTest gw = GatewayUnderTest.start(dir, Map.of())) {
      assertThat(open(gw, "1", "ada").problem(502, "bad-gateway").get("detail").textValue())
          .contains("'seven'").contains("/soap:Header/serverVersion");
    }
  }

  @Test
  void aReplyHeaderNestedPastTheDepthLimitIsA502() {
    Path dir = mapping("deep", tickets.soap11Url() + "?wsdl", stub.url("/deep"), RETURN_BOTH);

    try (GatewayUnderTest gw = GatewayUnderTest.start(dir, Map.of())) {
      assertThat(open(gw, "1", "ada").problem(502, "bad-gateway").get("detail").textValue()).contains("64");
    }
  }

  private static Path mapping(String name, String endpoint, String response) {
    return mapping(name, endpoint + "?wsdl", endpoint, response);
  }

  private static Path mapping(String name, String wsdl, String endpoint, String response) {
    Path dir = dirs.resolve(name);
    ConfigFiles.write(dir, "tickets.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s"
            endpoint: "%s"
        operations:
          - route: POST /api/tenants/{tenant}/tickets
            call: open
            request:
              subject: body.subject
            soapHeaders:
              caller.user: header.x-user
              caller.tenant: path.tenant
              trace: body.trace
        %s""".formatted(wsdl, endpoint, response.indent(4)));
    return dir;
  }

  private static Reply open(GatewayUnderTest gw, String tenant, String user) {
    return gw.send("POST", "/api/tenants/" + tenant + "/tickets", "application/json",
        BodyPublishers.ofString("{\"subject\": \"printer on fire\", \"trace\": \"t-42\"}"), Map.of("X-User", user));
  }

  @Test
  void requestHeaderPartsComeFromThePathAnHttpHeaderAndTheBody() {
    try (GatewayUnderTest gw = GatewayUnderTest.start(mapping("in", tickets.soap11Url(), "response: {select: ticket}"),
        Map.of())) {
      JsonNode t = open(gw, "12", "ada").ok();

      assertThat(t.get("subject").textValue()).isEqualTo("printer on fire");
      assertThat(t.get("openedBy").textValue()).as("caller.user from X-User").isEqualTo("ada");
      assertThat(t.get("tenant").intValue()).as("caller.tenant from {tenant}, typed xs:int").isEqualTo(12);
      assertThat(t.get("trace").textValue()).as("trace from the body").isEqualTo("t-42");
    }
  }

  @Test
  void aRequestHeaderValueIsCheckedByTheHeadersSchemaBeforeTheBackendIsCalled() {
    try (GatewayUnderTest gw = GatewayUnderTest.start(mapping("typed", tickets.soap11Url(), "response: {select: ticket}"),
        Map.of())) {
      JsonNode p = open(gw, "twelve", "ada").problem(400, "invalid-request");

      assertThat(p.get("errors").get(0).get("pointer").textValue()).isEqualTo("path:tenant");
    }
  }

  @Test
  void replyHeaderPartsBecomeAMemberOfTheReplyAndAnHttpHeader() {
    Path dir = mapping("out", tickets.soap11Url(), """
        response:
          select: ticket
          soapHeaders:
            session: body._session
            serverVersion: header.X-Server-Version""");

    try (GatewayUnderTest gw = GatewayUnderTest.start(dir, Map.of())) {
      Reply r = open(gw, "3", "grace");
      JsonNode t = r.ok();

      assertThat(t.get("_session").get("id").textValue()).isEqualTo("session-of-grace");
      assertThat(t.get("_session").get("remaining").isInt()).as("typed by the header's schema").isTrue();
      assertThat(r.headers().firstValue("X-Server-Version")).hasValue("7");
      assertThat(t.has("serverVersion")).as("a header returned as HTTP header is not in the body too").isFalse();
    }
  }

  @Test
  void everyReplyHeaderGoesUnderOneMemberOverSoap12() {
    Path dir = mapping("all12", tickets.soap12Url(), """
        response:
          soapHeaders: body._headers""");

    try (GatewayUnderTest gw = GatewayUnderTest.start(dir, Map.of())) {
      JsonNode reply = open(gw, "5", "linus").ok();

      assertThat(reply.get("ticket").get("openedBy").textValue()).isEqualTo("linus");
      assertThat(reply.get("_headers").get("session").get("id").textValue()).isEqualTo("session-of-linus");
      assertThat(reply.get("_headers").get("serverVersion").intValue()).isEqualTo(7);
    }
  }

  /**
   * The service's own WSDL with its header parts moved into messages of their own, as
   * WSDL-first contracts often have them ("implicit" headers): the same XML on the wire.
   */
  private static String implicitHeadersWsdl() throws Exception {
    var client = GatewayUnderTest.newClient();
    String wsdl = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(tickets.soap11Url() + "?wsdl"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    String implicit = wsdl;
    for (String part : new String[] {"caller", "trace", "session", "serverVersion"}) {
      implicit = implicit.replaceFirst("<wsdl:part element=\"tns:" + part + "\" name=\"" + part + "\">\\s*</wsdl:part>", "");
    }
    implicit = implicit
        .replace("<wsdl:message name=\"open\">", "<wsdl:message name=\"openHeaders\">"
            + "<wsdl:part element=\"tns:caller\" name=\"caller\"/><wsdl:part element=\"tns:trace\" name=\"trace\"/>"
            + "</wsdl:message><wsdl:message name=\"replyHeaders\"><wsdl:part element=\"tns:session\" name=\"session\"/>"
            + "<wsdl:part element=\"tns:serverVersion\" name=\"serverVersion\"/></wsdl:message>"
            + "<wsdl:message name=\"open\">")
        .replace("message=\"tns:open\" part=", "message=\"tns:openHeaders\" part=")
        .replace("message=\"tns:openResponse\" part=", "message=\"tns:replyHeaders\" part=")
        .replace(" parts=\"parameters\"", "").replace(" parts=\"result\"", "");
    assertThat(implicit).as("the WSDL was rewritten").doesNotContain("parts=").contains("tns:openHeaders")
        .doesNotContain("<wsdl:part element=\"tns:session\" name=\"session\">");
    return ConfigFiles.write(dirs.resolve("implicit-wsdl"), "tickets.wsdl", implicit).toUri().toString();
  }

  @Test
  void implicitHeadersOfOtherMessagesAreFilledAndReturnedLikeExplicitOnes() throws Exception {
    Path dir = mapping("implicit", implicitHeadersWsdl(), tickets.soap11Url(), """
        response:
          select: ticket
          soapHeaders:
            session: body._session
            serverVersion: header.X-Server-Version""");

    try (GatewayUnderTest gw = GatewayUnderTest.start(dir, Map.of())) {
      Reply r = open(gw, "8", "barbara");
      JsonNode t = r.ok();

      assertThat(t.get("openedBy").textValue()).isEqualTo("barbara");
      assertThat(t.get("tenant").intValue()).isEqualTo(8);
      assertThat(t.get("trace").textValue()).isEqualTo("t-42");
      assertThat(t.get("_session").get("id").textValue()).isEqualTo("session-of-barbara");
      assertThat(r.headers().firstValue("X-Server-Version")).hasValue("7");
    }
  }

  @Test
  void unknownHeaderPartsAreConfigurationProblemsNamingTheDeclaredOnes() {
    Path dir = dirs.resolve("unknown");
    ConfigFiles.write(dir, "tickets.yaml", """
        ficus: mapping/v1
        backend:
          soap:
            wsdl: "%s?wsdl"
        operations:
          - route: POST /api/tickets
            call: open
            request:
              subject: body.subject
            soapHeaders:
              callr.user: header.x-user
            response:
              soapHeaders:
                sesion: body._session
        """.formatted(tickets.soap11Url()));

    assertThatThrownBy(() -> GatewayUnderTest.start(dir, Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(Object::toString)
            .anySatisfy(p -> assertThat(p).startsWith("tickets.yaml:11:7:").contains("'callr'")
                .contains("caller, trace").contains("did you mean 'caller'"))
            .anySatisfy(p -> assertThat(p).startsWith("tickets.yaml:14:9:").contains("'sesion'")
                .contains("serverVersion").contains("session")));
  }
}
