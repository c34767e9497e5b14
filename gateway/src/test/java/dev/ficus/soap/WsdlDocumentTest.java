package dev.ficus.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.xml.JsonField;
import dev.ficus.xml.SimpleKind;
import dev.ficus.xml.XsdComplexType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WsdlDocumentTest {
  private static final String C = "urn:example:customers:v1";

  @Test
  void customersWsdlFollowsWsdlImportThenXsdImportThenXsdInclude() {
    SoapOperation op = Wsdls.customers11("getCustomer");

    XsdComplexType customer = op.output().jsonType().field("customer").element().complexType();
    assertThat(customer.displayName()).isEqualTo("Customer");
    assertThat(customer.fields()).extracting(JsonField::jsonName).containsExactly("version", "id", "firstName",
        "middleName", "lastName", "email", "status", "birthDate", "createdAt", "creditLimit", "loyaltyPoints", "vip",
        "address", "tag");
    JsonField address = customer.field("address");
    assertThat(address.array()).isTrue();
    XsdComplexType addressType = address.element().complexType();
    assertThat(addressType.displayName()).isEqualTo("Address");
    assertThat(addressType.field("kind").kind()).isEqualTo(JsonField.Kind.ATTRIBUTE);
    assertThat(addressType.field("kind").required()).isTrue();
    assertThat(addressType.field("kind").attributeType().enumeration()).containsExactlyInAnyOrder("HOME", "WORK",
        "BILLING");
    assertThat(customer.field("status").simpleType().enumeration()).contains("ACTIVE");
    assertThat(customer.field("id").simpleType().kind()).isEqualTo(SimpleKind.LONG);
    assertThat(customer.field("middleName").element().nillable()).isTrue();
    assertThat(Wsdls.customers().schemas().problems()).isEmpty();
  }

  @Test
  void customersServiceHasTwoPortsOfDifferentSoapVersions() throws Exception {
    WsdlDocument w = Wsdls.customers();

    assertThat(w.serviceNames()).containsExactly("CustomerService");
    WsdlDocument.PortInfo p11 = w.port("CustomerService", "CustomerSoap11Port");
    WsdlDocument.PortInfo p12 = w.port(null, "CustomerSoap12Port");
    assertThat(p11.version()).isEqualTo(SoapVersion.SOAP_11);
    assertThat(p11.address()).isEqualTo("http://127.0.0.1:7101/ws/customers");
    assertThat(p12.version()).isEqualTo(SoapVersion.SOAP_12);
    assertThat(p12.address()).isEqualTo("http://127.0.0.1:7101/ws/customers12");
    assertThat(WsdlDocument.operationNames(p11))
        .containsExactlyInAnyOrder("getCustomer", "findCustomers", "createCustomer", "recordVisit");
  }

  @Test
  void portMustBeChosenWhenTheServiceHasSeveral() {
    assertThatThrownBy(() -> Wsdls.customers().port(null, null))
        .isInstanceOf(WsdlDocument.WsdlProblem.class)
        .hasMessage("service 'CustomerService' has several SOAP ports; choose one with 'port:' from "
            + "CustomerSoap11Port, CustomerSoap12Port");
  }

  @Test
  void misspelledServiceHasDidYouMean() {
    assertThatThrownBy(() -> Wsdls.customers().port("CustomerServce", null))
        .hasMessage("service 'CustomerServce' is not in the WSDL; did you mean 'CustomerService'?");
  }

  @Test
  void misspelledPortHasDidYouMean() {
    assertThatThrownBy(() -> Wsdls.customers().port("CustomerService", "CustomerSoap11"))
        .hasMessage("port 'CustomerSoap11' is not in service 'CustomerService'; did you mean 'CustomerSoap11Port'?");
  }

  @Test
  void unrelatedPortNameListsThePorts() {
    assertThatThrownBy(() -> Wsdls.customers().port("CustomerService", "Nope"))
        .hasMessage("port 'Nope' is not in service 'CustomerService'; expected one of: CustomerSoap11Port, "
            + "CustomerSoap12Port");
  }

  @Test
  void misspelledOperationHasDidYouMean() throws Exception {
    WsdlDocument w = Wsdls.customers();
    WsdlDocument.PortInfo p = w.port("CustomerService", "CustomerSoap11Port");

    assertThatThrownBy(() -> w.operation(p, "getCustomr"))
        .hasMessage("operation 'getCustomr' is not in CustomerService/CustomerSoap11Port; did you mean 'getCustomer'?");
  }

  @Test
  void serviceAndPortDefaultWhenThereIsOnlyOne() throws Exception {
    WsdlDocument.PortInfo p = Wsdls.echo().port(null, null);

    assertThat(p.service()).isEqualTo("EchoService");
    assertThat(p.port()).isEqualTo("EchoPort");
    assertThat(p.version()).isEqualTo(SoapVersion.SOAP_11);
  }

  @Test
  void documentLiteralWrappedOperationUnwrapsItsSingleElementPart() {
    SoapOperation op = Wsdls.customers11("getCustomer");

    assertThat(op.name()).isEqualTo("getCustomer");
    assertThat(op.version()).isEqualTo(SoapVersion.SOAP_11);
    assertThat(op.soapAction()).isEqualTo("urn:example:customers:getCustomer");
    assertThat(op.oneWay()).isFalse();
    assertThat(op.input().rpcWrapper()).isNull();
    assertThat(op.input().unwrapped().name()).isEqualTo(new QName(C, "getCustomer"));
    assertThat(op.input().jsonType().fields()).extracting(JsonField::jsonName).containsExactly("customerId");
    assertThat(op.output().unwrapped().name()).isEqualTo(new QName(C, "getCustomerResponse"));
  }

  @Test
  void soapHeaderIsDeclaredAndNotPartOfTheBody() {
    SoapOperation op = Wsdls.customers11("createCustomer");

    assertThat(op.headers()).singleElement().satisfies(h -> {
      assertThat(h.name()).isEqualTo(new QName(C, "authHeader"));
      assertThat(h.complexType().field("token")).isNotNull();
    });
    assertThat(op.input().body().fields()).extracting(JsonField::jsonName).containsExactly("createCustomer");
  }

  @Test
  void declaredFaultHasItsNameAndDetailElement() {
    SoapOperation op = Wsdls.customers11("getCustomer");

    assertThat(op.faults()).singleElement().satisfies(f -> {
      assertThat(f.name()).isEqualTo("CustomerNotFound");
      assertThat(f.detail().name()).isEqualTo(new QName(C, "customerNotFound"));
    });
    assertThat(Wsdls.customers11("findCustomers").faults()).isEmpty();
  }

  @Test
  void operationWithoutOutputIsOneWay() {
    SoapOperation op = Wsdls.customers11("recordVisit");

    assertThat(op.oneWay()).isTrue();
    assertThat(op.output()).isNull();
    assertThat(op.soapAction()).isEqualTo("urn:example:customers:recordVisit");
  }

  @Test
  void soap12PortGivesSoap12Operations() {
    SoapOperation op = Wsdls.customers12("getCustomer");

    assertThat(op.version()).isEqualTo(SoapVersion.SOAP_12);
    assertThat(op.soapAction()).isEqualTo("urn:example:customers:getCustomer");
    assertThat(op.headers()).extracting(h -> h.name().getLocalPart()).containsExactly("authHeader");
    assertThat(op.faults()).extracting(SoapOperation.Fault::name).containsExactly("CustomerNotFound");
  }

  @Test
  void rpcLiteralOperationHasWrapperElementsNamedAfterTheOperation() {
    SoapOperation op = Wsdls.calculator("add");

    assertThat(op.soapAction()).isEqualTo("urn:example:calculator:add");
    assertThat(op.input().rpcWrapper()).isEqualTo(new QName("urn:example:calculator", "add"));
    assertThat(op.output().rpcWrapper()).isEqualTo(new QName("urn:example:calculator", "addResponse"));
    assertThat(op.input().unwrapped()).isNull();
    assertThat(op.input().jsonType().fields()).extracting(JsonField::jsonName).containsExactly("a", "b");
    assertThat(op.input().jsonType().fields()).extracting(f -> f.xmlName().getNamespaceURI()).containsOnly("");
    assertThat(op.input().jsonType().field("a").simpleType().kind()).isEqualTo(SimpleKind.INT);
    assertThat(op.output().jsonType().fields()).extracting(JsonField::jsonName).containsExactly("result");
  }

  @Test
  void rpcPartOfComplexTypeKeepsItsQualifiedChildren() {
    SoapOperation op = Wsdls.calculator("stats");

    JsonField values = op.input().jsonType().field("values");
    assertThat(values.xmlName()).isEqualTo(new QName("", "values"));
    JsonField value = values.element().complexType().field("value");
    assertThat(value.xmlName()).isEqualTo(new QName("urn:example:calculator:types", "value"));
    assertThat(value.array()).isTrue();
  }

  @Test
  void rpcFaultDetailIsAnElementOfTheTypesNamespace() {
    SoapOperation op = Wsdls.calculator("divide");

    assertThat(op.faults()).singleElement().satisfies(f -> {
      assertThat(f.name()).isEqualTo("DivisionByZero");
      assertThat(f.detail().name()).isEqualTo(new QName("urn:example:calculator:types", "divisionByZero"));
    });
  }

  @Test
  void documentLiteralBareOperationUsesTheElementTypeAsJson() {
    SoapOperation op = Wsdls.echoOp();

    assertThat(op.input().unwrapped().name()).isEqualTo(new QName("urn:example:echo", "echoRequest"));
    XsdComplexType sample = op.input().jsonType();
    assertThat(sample.displayName()).isEqualTo("Sample");
    assertThat(sample.field("id").kind()).isEqualTo(JsonField.Kind.ATTRIBUTE);
    assertThat(sample.field("legacyCode").xmlName()).isEqualTo(new QName("", "legacyCode"));
    assertThat(sample.field("email").choiceGroup()).isNotNull();
    assertThat(sample.field("shape").element().complexType().subtypeNames())
        .containsExactlyInAnyOrder("Shape", "Circle", "Rectangle");
    assertThat(sample.field("numbers").simpleType().isList()).isTrue();
    assertThat(sample.field("amount").element().complexType().simpleContent().kind()).isEqualTo(SimpleKind.DECIMAL);
  }

  @Test
  void missingWsdlFileIsAProblem() {
    assertThatThrownBy(() -> WsdlDocument.read(Wsdls.uri("no-such.wsdl")))
        .isInstanceOf(WsdlDocument.WsdlProblem.class)
        .hasMessageStartingWith("cannot read WSDL ");
  }

  private static String wsdl(String types, String messagesAndRest) {
    return """
        <wsdl:definitions xmlns:wsdl='http://schemas.xmlsoap.org/wsdl/' xmlns:soap='http://schemas.xmlsoap.org/wsdl/soap/'
            xmlns:xsd='http://www.w3.org/2001/XMLSchema' xmlns:tns='urn:t' targetNamespace='urn:t'>
          <wsdl:types><xsd:schema targetNamespace='urn:t' elementFormDefault='qualified'>%s</xsd:schema></wsdl:types>
          %s
        </wsdl:definitions>""".formatted(types, messagesAndRest);
  }

  private static String service(String name) {
    return """
        <wsdl:service name='%s'>
          <wsdl:port name='P' binding='tns:B'><soap:address location='http://127.0.0.1:1/x'/></wsdl:port>
        </wsdl:service>""".formatted(name);
  }

  private static final String ONE_OP = """
      <wsdl:message name='in'><wsdl:part name='p' %s/></wsdl:message>
      <wsdl:portType name='PT'><wsdl:operation name='op'><wsdl:input message='tns:in'/></wsdl:operation></wsdl:portType>
      <wsdl:binding name='B' type='tns:PT'>
        <soap:binding style='document' transport='http://schemas.xmlsoap.org/soap/http'/>
        <wsdl:operation name='op'><soap:operation soapAction=''/>
          <wsdl:input><soap:body use='literal'/></wsdl:input></wsdl:operation>
      </wsdl:binding>
      """;

  private static WsdlDocument write(Path dir, String text) throws IOException, WsdlDocument.WsdlProblem {
    Path f = dir.resolve("t.wsdl");
    Files.writeString(f, text);
    return WsdlDocument.read(f.toUri().toString());
  }

  @Test
  void severalServicesMustBeChosenBetween(@TempDir Path dir) throws Exception {
    WsdlDocument w = write(dir, wsdl("<xsd:element name='e' type='xsd:string'/>",
        ONE_OP.formatted("element='tns:e'") + service("S1") + service("S2")));

    assertThatThrownBy(() -> w.port(null, null))
        .hasMessageStartingWith("the WSDL has several services; choose one with 'service:' from ")
        .hasMessageContainingAll("S1", "S2");
    assertThat(w.port("S2", null).service()).isEqualTo("S2");
  }

  @Test
  void wsdlWithoutServiceIsAProblem(@TempDir Path dir) throws Exception {
    WsdlDocument w = write(dir, wsdl("<xsd:element name='e' type='xsd:string'/>", ONE_OP.formatted("element='tns:e'")));

    assertThatThrownBy(() -> w.port(null, null)).hasMessage("the WSDL declares no service");
  }

  @Test
  void documentStylePartWithTypeIsAProblem(@TempDir Path dir) throws Exception {
    WsdlDocument w = write(dir, wsdl("", ONE_OP.formatted("type='xsd:string'") + service("S")));

    assertThatThrownBy(() -> w.operation(w.port(null, null), "op"))
        .hasMessage("part 'p' of operation 'op' uses type= in a document-style binding; document style needs "
            + "element= parts");
  }

  @Test
  void partNamingAnUndeclaredElementIsAProblem(@TempDir Path dir) throws Exception {
    WsdlDocument w = write(dir, wsdl("", ONE_OP.formatted("element='tns:missing'") + service("S")));

    assertThatThrownBy(() -> w.operation(w.port(null, null), "op"))
        .hasMessage("operation 'op' uses element {urn:t}missing, which no schema declares");
  }

  @Test
  void malformedWsdlIsAProblem(@TempDir Path dir) {
    assertThatThrownBy(() -> write(dir, "<wsdl:definitions xmlns:wsdl='http://schemas.xmlsoap.org/wsdl/'>"))
        .isInstanceOf(WsdlDocument.WsdlProblem.class)
        .hasMessageStartingWith("cannot read WSDL ");
  }
}
