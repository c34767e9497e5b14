package dev.ficus.soap;

import static dev.ficus.xml.XmlCompare.assertSimilar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import dev.ficus.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {
  private static final String SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
  private static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
  private static final String C = "urn:example:customers:v1";

  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static EnvelopeCodec customersCodec(String op) throws Exception {
    return Wsdls.codec(Wsdls.customers11(op), Map.of("authHeader", json("{\"token\": \"legacy-secret\"}")),
        true, false, 64);
  }

  private static SoapReply reply(EnvelopeCodec codec, String xml) throws EnvelopeCodec.NotSoapException {
    return codec.reply(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String soap11(String body) {
    return "<soap:Envelope xmlns:soap='" + SOAP11 + "' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>"
        + "<soap:Body>" + body + "</soap:Body></soap:Envelope>";
  }

  // ---- requests ----

  @Test
  void getCustomerRequestHasTheAuthHeaderAndTheWrapperElement() throws Exception {
    byte[] env = customersCodec("getCustomer").request(json("{\"customerId\": 42}"));

    assertSimilar("""
        <soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/' xmlns:c='urn:example:customers:v1'>
          <soap:Header>
            <c:authHeader><c:token>legacy-secret</c:token></c:authHeader>
          </soap:Header>
          <soap:Body>
            <c:getCustomer><c:customerId>42</c:customerId></c:getCustomer>
          </soap:Body>
        </soap:Envelope>""", text(env));
    assertThat(text(env)).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  }

  @Test
  void soap12PortWritesASoap12Envelope() throws Exception {
    EnvelopeCodec codec = Wsdls.codec(Wsdls.customers12("getCustomer"),
        Map.of("authHeader", json("{\"token\": \"t\"}")), true, false, 64);

    assertSimilar("""
        <env:Envelope xmlns:env='http://www.w3.org/2003/05/soap-envelope' xmlns:c='urn:example:customers:v1'>
          <env:Header><c:authHeader><c:token>t</c:token></c:authHeader></env:Header>
          <env:Body><c:getCustomer><c:customerId>7</c:customerId></c:getCustomer></env:Body>
        </env:Envelope>""", text(codec.request(json("{\"customerId\": 7}"))));
  }

  @Test
  void envelopeWithoutHeadersHasNoHeaderElement() throws Exception {
    byte[] env = Wsdls.codec(Wsdls.customers11("getCustomer")).request(json("{\"customerId\": 1}"));

    assertSimilar("""
        <soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/' xmlns:c='urn:example:customers:v1'>
          <soap:Body><c:getCustomer><c:customerId>1</c:customerId></c:getCustomer></soap:Body>
        </soap:Envelope>""", text(env));
  }

  @Test
  void createCustomerRequestFollowsTheSchemaOrder() throws Exception {
    byte[] env = customersCodec("createCustomer").request(json("""
        {"address": [{"country": "GB", "kind": "HOME", "postalCode": "N1", "city": "London", "street": "1 Main"}],
         "creditLimit": 0.1000000000000000055511151231257827, "lastName": "Lovelace", "middleName": null,
         "firstName": "Ada"}"""));

    assertSimilar("""
        <soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/' xmlns:c='urn:example:customers:v1'
            xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>
          <soap:Header><c:authHeader><c:token>legacy-secret</c:token></c:authHeader></soap:Header>
          <soap:Body>
            <c:createCustomer>
              <c:firstName>Ada</c:firstName>
              <c:middleName xsi:nil='true'/>
              <c:lastName>Lovelace</c:lastName>
              <c:creditLimit>0.1000000000000000055511151231257827</c:creditLimit>
              <c:address kind='HOME'>
                <c:street>1 Main</c:street><c:city>London</c:city><c:postalCode>N1</c:postalCode><c:country>GB</c:country>
              </c:address>
            </c:createCustomer>
          </soap:Body>
        </soap:Envelope>""", text(env));
  }

  @Test
  void requestThatDoesNotFitTheSchemaIsA400ListingEveryField() {
    assertThatThrownBy(() -> customersCodec("createCustomer").request(json("""
        {"lastName": "L", "creditLimit": "lots", "nickname": "x"}""")))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          GatewayError err = e.error();
          assertThat(err.status()).isEqualTo(400);
          assertThat(err.code()).isEqualTo(GatewayError.Code.INVALID_REQUEST);
          assertThat(err.detail()).isEqualTo("The request does not fit the backend's schema (3 problems)");
          assertThat(err.errors()).extracting(GatewayError.FieldError::pointer)
              .containsExactlyInAnyOrder("/firstName", "/creditLimit", "/nickname");
        });
  }

  @Test
  void singleProblemIsNamedInTheDetail() {
    assertThatThrownBy(() -> customersCodec("getCustomer").request(json("{}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.error().detail())
            .isEqualTo("The request does not fit the backend's schema: /customerId is required "
                + "(xs:long (a whole number from -9223372036854775808 to 9223372036854775807))"));
  }

  @Test
  void rpcRequestWrapsUnqualifiedPartsInTheOperationElement() throws Exception {
    byte[] env = Wsdls.codec(Wsdls.calculator("add")).request(json("{\"b\": 2, \"a\": 1}"));

    assertSimilar("""
        <soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'>
          <soap:Body><calc:add xmlns:calc='urn:example:calculator'><a>1</a><b>2</b></calc:add></soap:Body>
        </soap:Envelope>""", text(env));
  }

  @Test
  void rpcPartOfComplexTypeHasQualifiedChildren() throws Exception {
    byte[] env = Wsdls.codec(Wsdls.calculator("stats")).request(json("{\"values\": {\"value\": [1.5, 2]}}"));

    assertSimilar("""
        <soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'>
          <soap:Body>
            <calc:stats xmlns:calc='urn:example:calculator' xmlns:t='urn:example:calculator:types'>
              <values><t:value>1.5</t:value><t:value>2</t:value></values>
            </calc:stats>
          </soap:Body>
        </soap:Envelope>""", text(env));
  }

  @Test
  void bareRequestWritesTheSampleWithEveryFeature() throws Exception {
    byte[] env = Wsdls.codec(Wsdls.echoOp()).request(json("""
        {"legacyCode": "L1", "shape": [{"@type": "Circle", "name": "c", "radius": 2}], "phone": "555",
         "note": null, "amount": {"value": 9.99, "currency": "EUR"}, "numbers": [1, 2], "color": "RED",
         "hex": "CAFE", "blob": "SGk=", "count": 3, "text": "hi", "id": "s1"}"""));

    assertSimilar("""
        <soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/' xmlns:e='urn:example:echo'
            xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>
          <soap:Body>
            <e:echoRequest id='s1'>
              <e:text>hi</e:text><e:count>3</e:count><e:blob>SGk=</e:blob><e:hex>CAFE</e:hex><e:color>RED</e:color>
              <e:numbers>1 2</e:numbers><e:amount currency='EUR'>9.99</e:amount><e:note xsi:nil='true'/>
              <e:phone>555</e:phone>
              <e:shape xsi:type='e:Circle'><e:name>c</e:name><e:radius>2</e:radius></e:shape>
              <legacyCode>L1</legacyCode>
            </e:echoRequest>
          </soap:Body>
        </soap:Envelope>""", text(env));
  }

  @Test
  void oneWayRequestIsWrittenLikeAnyOther() throws Exception {
    byte[] env = customersCodec("recordVisit").request(json("""
        {"at": "2024-05-01T10:00:00Z", "channel": "web", "customerId": 3}"""));

    assertSimilar("""
        <soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/' xmlns:c='urn:example:customers:v1'>
          <soap:Header><c:authHeader><c:token>legacy-secret</c:token></c:authHeader></soap:Header>
          <soap:Body><c:recordVisit><c:customerId>3</c:customerId><c:channel>web</c:channel>
            <c:at>2024-05-01T10:00:00Z</c:at></c:recordVisit></soap:Body>
        </soap:Envelope>""", text(env));
  }

  @Test
  void soapVersionDecidesTheContentType() {
    assertThat(SoapVersion.SOAP_11.contentType("urn:a")).isEqualTo("text/xml; charset=utf-8");
    assertThat(SoapVersion.SOAP_12.contentType("urn:a")).isEqualTo("application/soap+xml; charset=utf-8; action=\"urn:a\"");
    assertThat(SoapVersion.SOAP_12.contentType("")).isEqualTo("application/soap+xml; charset=utf-8");
    assertThat(SoapVersion.ofNamespace(SOAP12)).isEqualTo(SoapVersion.SOAP_12);
    assertThat(SoapVersion.ofNamespace("urn:other")).isNull();
  }

  // ---- replies ----

  private static final String CUSTOMER = """
      <c:customer version='3'>
        <c:id>1</c:id><c:firstName>Ada</c:firstName><c:middleName xsi:nil='true'/><c:lastName>Lovelace</c:lastName>
        <c:status>ACTIVE</c:status><c:createdAt>2024-01-01T00:00:00Z</c:createdAt>
        <c:creditLimit>1000.50</c:creditLimit><c:loyaltyPoints>12</c:loyaltyPoints><c:vip>true</c:vip>
        <c:address kind='HOME'><c:street>1 Main</c:street><c:city>London</c:city><c:postalCode>N1</c:postalCode>
          <c:country>GB</c:country></c:address>
      </c:customer>""";

  private static final String CUSTOMER_JSON = "{\"version\":3,\"id\":1,\"firstName\":\"Ada\",\"middleName\":null,"
      + "\"lastName\":\"Lovelace\",\"status\":\"ACTIVE\",\"createdAt\":\"2024-01-01T00:00:00Z\",\"creditLimit\":1000.50,"
      + "\"loyaltyPoints\":12,\"vip\":true,\"address\":[{\"kind\":\"HOME\",\"street\":\"1 Main\",\"city\":\"London\","
      + "\"postalCode\":\"N1\",\"country\":\"GB\"}],\"tag\":[]}";

  @Test
  void successReplyBecomesTheWrapperContentAsJson() throws Exception {
    SoapReply r = reply(customersCodec("getCustomer"), soap11(
        "<c:getCustomerResponse xmlns:c='" + C + "'>" + CUSTOMER + "</c:getCustomerResponse>"));

    assertThat(r).isInstanceOf(SoapReply.Success.class);
    assertThat(Json.MAPPER.writeValueAsString(((SoapReply.Success) r).body()))
        .isEqualTo("{\"customer\":" + CUSTOMER_JSON + "}");
  }

  @Test
  void replyWithAHeaderBeforeTheBodyIsRead() throws Exception {
    SoapReply r = reply(customersCodec("getCustomer"), "<soap:Envelope xmlns:soap='" + SOAP11 + "'"
        + " xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><soap:Header><x:trace xmlns:x='urn:x'>"
        + "<x:id>1</x:id></x:trace></soap:Header><soap:Body><c:getCustomerResponse xmlns:c='" + C + "'>"
        + CUSTOMER + "</c:getCustomerResponse></soap:Body></soap:Envelope>");

    assertThat(((SoapReply.Success) r).body().at("/customer/id").asLong()).isEqualTo(1);
  }

  @Test
  void replyOfOneRepeatedElementIsAnArrayOfOne() throws Exception {
    SoapReply r = reply(customersCodec("findCustomers"), soap11(
        "<c:findCustomersResponse xmlns:c='" + C + "'>" + CUSTOMER + "</c:findCustomersResponse>"));

    assertThat(((SoapReply.Success) r).body().get("customer").isArray()).isTrue();
    assertThat(((SoapReply.Success) r).body().get("customer")).hasSize(1);
  }

  @Test
  void replyWithoutRepeatedElementsIsAnEmptyArray() throws Exception {
    SoapReply r = reply(customersCodec("findCustomers"), soap11("<c:findCustomersResponse xmlns:c='" + C + "'/>"));

    assertThat(((SoapReply.Success) r).body().toString()).isEqualTo("{\"customer\":[]}");
  }

  @Test
  void preciseNumbersAsStringsAppliesToReplies() throws Exception {
    EnvelopeCodec codec = Wsdls.codec(Wsdls.customers11("getCustomer"), Map.of(), true, true, 64);

    SoapReply r = reply(codec, soap11("<c:getCustomerResponse xmlns:c='" + C + "'>" + CUSTOMER
        + "</c:getCustomerResponse>"));

    JsonNode c = ((SoapReply.Success) r).body().get("customer");
    assertThat(c.get("id").textValue()).isEqualTo("1");
    assertThat(c.get("creditLimit").textValue()).isEqualTo("1000.50");
    assertThat(c.get("loyaltyPoints").isInt()).isTrue();
  }

  @Test
  void rpcReplyIsTheContentOfTheResponseWrapper() throws Exception {
    SoapReply r = reply(Wsdls.codec(Wsdls.calculator("add")),
        soap11("<calc:addResponse xmlns:calc='urn:example:calculator'><result>3</result></calc:addResponse>"));

    assertThat(((SoapReply.Success) r).body().toString()).isEqualTo("{\"result\":3}");
  }

  @Test
  void bareReplyIsTheElementContent() throws Exception {
    SoapReply r = reply(Wsdls.codec(Wsdls.echoOp()), soap11("""
        <e:echoResponse xmlns:e='urn:example:echo' id='s1'><e:text>hi</e:text><e:count>3</e:count>
          <e:shape xsi:type='e:Rectangle'><e:name>r</e:name><e:width>2</e:width><e:height>1.5</e:height></e:shape>
          <legacyCode>L1</legacyCode></e:echoResponse>"""));

    assertThat(((SoapReply.Success) r).body().toString()).isEqualTo("{\"id\":\"s1\",\"text\":\"hi\",\"count\":3,"
        + "\"shape\":[{\"@type\":\"Rectangle\",\"name\":\"r\",\"width\":2.0,\"height\":1.5}],\"legacyCode\":\"L1\"}");
  }

  @Test
  void emptyBodyOfAOneWayOperationIsSuccess() throws Exception {
    SoapReply r = reply(customersCodec("recordVisit"), soap11(""));

    assertThat(r).isInstanceOf(SoapReply.Success.class);
  }

  @Test
  void emptyBodyWhereAResponseElementIsRequiredIsNotAValidReply() {
    assertThatThrownBy(() -> reply(customersCodec("getCustomer"), soap11("")))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class);
  }

  @Test
  void bodyWithoutTheResponseElementIsNotAValidReply() {
    assertThatThrownBy(() -> reply(customersCodec("getCustomer"), soap11("<x:other xmlns:x='urn:x'/>")))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class)
        .hasMessage("the reply's Body has {urn:x}other where {urn:example:customers:v1}getCustomerResponse is expected");
  }

  @Test
  void soap11FaultWithDeclaredDetailIsReadByTheSchema() throws Exception {
    SoapReply r = reply(customersCodec("getCustomer"), soap11("""
        <soap:Fault>
          <faultcode>soap:Client</faultcode>
          <faultstring> Customer 999 not found </faultstring>
          <detail>
            <c:customerNotFound xmlns:c='urn:example:customers:v1'>
              <c:customerId>999</c:customerId><c:message>no such customer</c:message>
            </c:customerNotFound>
          </detail>
        </soap:Fault>"""));

    assertThat(r).isInstanceOfSatisfying(SoapReply.Fault.class, f -> {
      assertThat(f.code()).isEqualTo("Client");
      assertThat(f.subcodes()).isEmpty();
      assertThat(f.reason()).isEqualTo("Customer 999 not found");
      assertThat(f.declared().name()).isEqualTo("CustomerNotFound");
      assertThat(f.detail().toString()).isEqualTo("{\"customerId\":999,\"message\":\"no such customer\"}");
      assertThat(f.detailElement()).isEqualTo("{urn:example:customers:v1}customerNotFound");
    });
  }

  @Test
  void soap12FaultHasItsCodeSubcodesReasonAndDeclaredDetail() throws Exception {
    EnvelopeCodec codec = Wsdls.codec(Wsdls.customers12("getCustomer"));

    SoapReply r = reply(codec, """
        <env:Envelope xmlns:env='http://www.w3.org/2003/05/soap-envelope' xmlns:app='urn:app'>
          <env:Body>
            <env:Fault>
              <env:Code>
                <env:Value>env:Sender</env:Value>
                <env:Subcode><env:Value>app:NotFound</env:Value>
                  <env:Subcode><env:Value>app:Gone</env:Value></env:Subcode>
                </env:Subcode>
              </env:Code>
              <env:Reason>
                <env:Text xml:lang='en'>Customer gone</env:Text><env:Text xml:lang='fr'>Client disparu</env:Text>
              </env:Reason>
              <env:Detail>
                <c:customerNotFound xmlns:c='urn:example:customers:v1'>
                  <c:customerId>5</c:customerId><c:message>gone</c:message>
                </c:customerNotFound>
              </env:Detail>
            </env:Fault>
          </env:Body>
        </env:Envelope>""");

    assertThat(r).isInstanceOfSatisfying(SoapReply.Fault.class, f -> {
      assertThat(f.code()).isEqualTo("Sender");
      assertThat(f.subcodes()).containsExactly("NotFound", "Gone");
      assertThat(f.reason()).isEqualTo("Customer gone");
      assertThat(f.declared().name()).isEqualTo("CustomerNotFound");
      assertThat(f.detail().get("customerId").asLong()).isEqualTo(5);
    });
  }

  @Test
  void undeclaredFaultKeepsItsCodeAndFirstDetailElementName() throws Exception {
    SoapReply r = reply(customersCodec("getCustomer"), soap11("""
        <soap:Fault><faultcode>soap:Server</faultcode><faultstring>boom</faultstring>
          <detail><x:stackTrace xmlns:x='urn:x'><x:line>1</x:line></x:stackTrace></detail></soap:Fault>"""));

    assertThat(r).isInstanceOfSatisfying(SoapReply.Fault.class, f -> {
      assertThat(f.code()).isEqualTo("Server");
      assertThat(f.reason()).isEqualTo("boom");
      assertThat(f.declared()).isNull();
      assertThat(f.detail()).isNull();
      assertThat(f.detailElement()).isEqualTo("{urn:x}stackTrace");
    });
  }

  @Test
  void faultWithoutCodeOrReasonGetsDefaults() throws Exception {
    SoapReply r = reply(customersCodec("getCustomer"), soap11("<soap:Fault/>"));

    assertThat(r).isInstanceOfSatisfying(SoapReply.Fault.class, f -> {
      assertThat(f.code()).isEqualTo("Server");
      assertThat(f.reason()).isEmpty();
      assertThat(f.detailElement()).isNull();
    });
  }

  @Test
  void emptyReplyIsNotSoap() {
    assertThatThrownBy(() -> customersCodec("getCustomer").reply(new byte[0]))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class);
  }

  @Test
  void xmlThatIsNotAnEnvelopeIsNotSoap() {
    assertThatThrownBy(() -> reply(customersCodec("getCustomer"), "<html><body>Service Unavailable</body></html>"))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class)
        .hasMessage("the reply is XML but not a SOAP envelope (root element html)");
  }

  @Test
  void envelopeInAnUnknownNamespaceIsNotSoap() {
    assertThatThrownBy(() -> reply(customersCodec("getCustomer"), "<e:Envelope xmlns:e='urn:not-soap'/>"))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class)
        .hasMessageContaining("not a SOAP envelope");
  }

  @Test
  void envelopeWithoutBodyIsNotSoap() {
    assertThatThrownBy(() -> reply(customersCodec("getCustomer"),
        "<soap:Envelope xmlns:soap='" + SOAP11 + "'><soap:Header/></soap:Envelope>"))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class)
        .hasMessage("the SOAP envelope has no Body");
  }

  @Test
  void truncatedXmlIsNotWellFormed() {
    String full = soap11("<c:getCustomerResponse xmlns:c='" + C + "'>" + CUSTOMER + "</c:getCustomerResponse>");

    assertThatThrownBy(() -> reply(customersCodec("getCustomer"), full.substring(0, full.length() / 2)))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class)
        .hasMessageStartingWith("the reply is not well-formed XML");
  }

  @Test
  void nonXmlIsNotWellFormed() {
    assertThatThrownBy(() -> reply(customersCodec("getCustomer"), "{\"error\": \"json\"}"))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class)
        .hasMessageStartingWith("the reply is not well-formed XML");
  }

  @Test
  void billionLaughsIsRefusedQuicklyWithoutExpanding() {
    StringBuilder dtd = new StringBuilder("<?xml version='1.0'?><!DOCTYPE soap:Envelope [<!ENTITY lol0 'lol'>");
    for (int i = 1; i <= 9; i++) {
      String prev = "&lol" + (i - 1) + ";";
      dtd.append("<!ENTITY lol").append(i).append(" '").append(prev.repeat(10)).append("'>");
    }
    dtd.append("]>");
    String bomb = dtd + soap11("<c:getCustomerResponse xmlns:c='" + C + "'><c:customer><c:firstName>&lol9;"
        + "</c:firstName></c:customer></c:getCustomerResponse>");

    assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
        assertThatThrownBy(() -> reply(customersCodec("getCustomer"), bomb))
            .isInstanceOf(EnvelopeCodec.NotSoapException.class)
            .hasMessageContaining("DTD"));
  }

  @Test
  void externalEntityIsNeverResolved() {
    String xxe = "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY xxe SYSTEM 'file:///etc/hostname'>]>"
        + soap11("<c:getCustomerResponse xmlns:c='" + C + "'><c:customer><c:firstName>&xxe;</c:firstName>"
        + "</c:customer></c:getCustomerResponse>");

    assertThatThrownBy(() -> reply(customersCodec("getCustomer"), xxe))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class)
        .hasMessageContaining("DTD");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() throws Exception {
    EnvelopeCodec codec = Wsdls.codec(Wsdls.customers11("getCustomer"), Map.of(), true, false, 2);

    assertThatThrownBy(() -> reply(codec, soap11(
        "<c:getCustomerResponse xmlns:c='" + C + "'>" + CUSTOMER + "</c:getCustomerResponse>")))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class)
        .hasMessage("the reply nests elements deeper than 2 levels");
  }

  @Test
  void deeplyNestedUnknownElementsDoNotOverflowTheStack() {
    int depth = 30_000;
    String deep = "<x:a xmlns:x='urn:x'>".repeat(depth) + "</x:a>".repeat(depth);
    String xml = soap11("<c:findCustomersResponse xmlns:c='" + C + "'>" + deep + "</c:findCustomersResponse>");

    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      try {
        SoapReply r = reply(customersCodec("findCustomers"), xml);
        assertThat(((SoapReply.Success) r).body().toString()).isEqualTo("{\"customer\":[]}");
      } catch (EnvelopeCodec.NotSoapException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      }
    });
  }

  @Test
  void invalidValueInTheReplyIsNotSoapNamingThePointerTheClientSees() {
    String bad = CUSTOMER.replace("<c:id>1</c:id>", "<c:id>abc</c:id>");

    assertThatThrownBy(() -> reply(customersCodec("getCustomer"),
        soap11("<c:getCustomerResponse xmlns:c='" + C + "'>" + bad + "</c:getCustomerResponse>")))
        .isInstanceOf(EnvelopeCodec.NotSoapException.class)
        .hasMessageContaining("'abc' at /customer/id where xs:long");
  }
}
