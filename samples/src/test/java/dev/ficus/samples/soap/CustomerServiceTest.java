package dev.ficus.samples.soap;

import static dev.ficus.samples.soap.SoapExchange.authHeader;
import static dev.ficus.samples.soap.SoapExchange.envelope11;
import static dev.ficus.samples.soap.SoapExchange.envelope12;
import static dev.ficus.samples.soap.SoapExchange.post11;
import static dev.ficus.samples.soap.SoapExchange.post12;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ficus.samples.soap.SoapExchange.Reply;
import dev.ficus.samples.soap.customers.api.CustomerNotFound;
import dev.ficus.samples.soap.customers.api.CustomerPortType;
import dev.ficus.samples.soap.customers.api.CustomerService;
import dev.ficus.samples.soap.customers.model.AuthHeader;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.ws.BindingProvider;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.cxf.headers.Header;
import org.apache.cxf.jaxb.JAXBDataBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CustomerServiceTest {

  private static final String TOKEN = "test-token";
  private static final String AUTH = authHeader(TOKEN);
  private static SoapSamples samples;

  @BeforeAll
  static void start() {
    samples = SoapSamples.start("127.0.0.1", SoapExchange.freePort(), TOKEN);
  }

  @AfterAll
  static void stop() {
    samples.close();
  }

  private static Reply call11(String operation, String header, String body) {
    return post11(samples.customersUrl(), "urn:example:customers:" + operation,
        envelope11(header, body));
  }

  private static Reply call12(String operation, String header, String body) {
    return post12(samples.customers12Url(), "urn:example:customers:" + operation,
        envelope12(header, body));
  }

  @Test
  void getCustomerReturnsTheSeededCustomerOverSoap11() {
    Reply reply = call11("getCustomer", AUTH,
        "<c:getCustomer><c:customerId>4</c:customerId></c:getCustomer>");

    assertThat(reply.status()).isEqualTo(200);
    String customer = "/s11:Envelope/s11:Body/c:getCustomerResponse/c:customer";
    assertThat(reply.text(customer + "/c:lastName")).isEqualTo("Nakamura");
    assertThat(reply.text(customer + "/@version")).isEqualTo("3");
    assertThat(reply.text(customer + "/c:middleName/@xsi:nil")).isEqualTo("true");
    assertThat(reply.text(customer + "/c:creditLimit")).isEqualTo("12000.00");
    assertThat(reply.count(customer + "/c:address")).isEqualTo(2);
    assertThat(reply.text(customer + "/c:address[1]/@kind")).isEqualTo("WORK");
  }

  @Test
  void getCustomerWorksOverSoap12() {
    Reply reply = call12("getCustomer", AUTH,
        "<c:getCustomer><c:customerId>1</c:customerId></c:getCustomer>");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text("/s12:Envelope/s12:Body/c:getCustomerResponse/c:customer/c:creditLimit"))
        .isEqualTo("2500.50");
  }

  @Test
  void unknownCustomerRaisesTheDeclaredFault() {
    Reply reply = call11("getCustomer", AUTH,
        "<c:getCustomer><c:customerId>42</c:customerId></c:getCustomer>");

    assertThat(reply.status()).isEqualTo(500);
    String fault = "/s11:Envelope/s11:Body/s11:Fault";
    assertThat(reply.text(fault + "/detail/c:customerNotFound/c:customerId")).isEqualTo("42");
    assertThat(reply.text(fault + "/faultstring")).isEqualTo("customer 42 not found");
  }

  @Test
  void unknownCustomerOverSoap12CarriesTheDetailToo() {
    Reply reply = call12("getCustomer", AUTH,
        "<c:getCustomer><c:customerId>42</c:customerId></c:getCustomer>");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s12:Fault/s12:Detail/c:customerNotFound/c:message"))
        .isEqualTo("customer 42 not found");
  }

  @Test
  void customer500FailsWithAnUndeclaredServerFault() {
    Reply reply = call11("getCustomer", AUTH,
        "<c:getCustomer><c:customerId>500</c:customerId></c:getCustomer>");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Server");
    assertThat(reply.count("//s11:Fault/detail/*")).isZero();
  }

  @Test
  void missingTokenIsAClientFault() {
    Reply reply = call11("getCustomer", "",
        "<c:getCustomer><c:customerId>1</c:customerId></c:getCustomer>");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Client");
    assertThat(reply.text("//s11:Fault/faultstring")).isEqualTo("invalid or missing auth token");
  }

  @Test
  void wrongTokenIsASenderFaultOverSoap12() {
    Reply reply = call12("findCustomers", authHeader("guess"),
        "<c:findCustomers><c:lastName>Smith</c:lastName></c:findCustomers>");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s12:Fault/s12:Code/s12:Value")).endsWith(":Sender");
    assertThat(reply.text("//s12:Fault/s12:Reason/s12:Text")).isEqualTo("invalid or missing auth token");
  }

  @Test
  void schemaInvalidRequestIsRejected() {
    Reply reply = call11("createCustomer", AUTH, """
        <c:createCustomer><c:firstName>Zoe</c:firstName><c:lastName>Quinn</c:lastName>
          <c:creditLimit>10</c:creditLimit>
          <c:address kind="HOME"><c:street>1 Main St</c:street><c:city>Berlin</c:city>
            <c:postalCode>10115</c:postalCode><c:country>DEU</c:country></c:address>
        </c:createCustomer>""");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Client");
    assertThat(reply.text("//s11:Fault/faultstring")).contains("cvc-length-valid");
  }

  @Test
  void elementsOutOfSequenceOrderAreRejected() {
    Reply reply = call11("findCustomers", AUTH,
        "<c:findCustomers><c:maxResults>1</c:maxResults><c:lastName>Smith</c:lastName></c:findCustomers>");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":Client");
  }

  @Test
  void soap11EnvelopeOnTheSoap12PortIsAVersionMismatch() {
    Reply reply = post11(samples.customers12Url(), "urn:example:customers:getCustomer",
        envelope11(AUTH, "<c:getCustomer><c:customerId>1</c:customerId></c:getCustomer>"));

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.text("//s11:Fault/faultcode")).endsWith(":VersionMismatch");
  }

  @Test
  void findCustomersReturnsNoneOneOrMany() {
    String find = "<c:findCustomers><c:lastName>%s</c:lastName></c:findCustomers>";
    String customers = "/s11:Envelope/s11:Body/c:findCustomersResponse/c:customer";

    assertThat(call11("findCustomers", AUTH, find.formatted("Nobody")).count(customers)).isZero();
    assertThat(call11("findCustomers", AUTH, find.formatted("Nakamura")).count(customers)).isOne();
    assertThat(call11("findCustomers", AUTH, find.formatted("Smith")).count(customers)).isEqualTo(3);
  }

  @Test
  void findCustomersFiltersByStatusAndLimits() {
    String customers = "/s11:Envelope/s11:Body/c:findCustomersResponse/c:customer";
    Reply active = call11("findCustomers", AUTH,
        "<c:findCustomers><c:lastName>Smith</c:lastName><c:status>ACTIVE</c:status></c:findCustomers>");
    Reply limited = call11("findCustomers", AUTH,
        "<c:findCustomers><c:lastName>Smith</c:lastName><c:maxResults>2</c:maxResults></c:findCustomers>");

    assertThat(active.count(customers)).isOne();
    assertThat(limited.count(customers)).isEqualTo(2);
  }

  @Test
  void createCustomerAssignsAnIdAndEchoesTheInput() {
    Reply reply = call11("createCustomer", AUTH, """
        <c:createCustomer><c:firstName>Zoe</c:firstName><c:middleName xsi:nil="true"/>
          <c:lastName>Quinn</c:lastName><c:birthDate>1999-12-31</c:birthDate>
          <c:creditLimit>321.09</c:creditLimit>
          <c:address kind="BILLING"><c:street>1 Main St</c:street><c:city>Berlin</c:city>
            <c:postalCode>10115</c:postalCode><c:country>DE</c:country></c:address>
        </c:createCustomer>""");

    assertThat(reply.status()).isEqualTo(200);
    String customer = "/s11:Envelope/s11:Body/c:createCustomerResponse/c:customer";
    long id = Long.parseLong(reply.text(customer + "/c:id"));
    assertThat(id).isGreaterThanOrEqualTo(CustomerDirectory.FIRST_CREATED_ID);
    assertThat(reply.text(customer + "/c:status")).isEqualTo("ACTIVE");
    assertThat(reply.text(customer + "/c:creditLimit")).isEqualTo("321.09");
    assertThat(reply.text(customer + "/c:address/c:country")).isEqualTo("DE");
    assertThat(reply.text(customer + "/c:createdAt")).isNotEmpty();

    Reply fetched = call11("getCustomer", AUTH,
        "<c:getCustomer><c:customerId>" + id + "</c:customerId></c:getCustomer>");
    assertThat(fetched.text("//c:customer/c:firstName")).isEqualTo("Zoe");
  }

  @Test
  void oneWayVisitIsRecordedBeforeTheCallReturns() {
    samples.clearRecordedVisits();

    Reply reply = call11("recordVisit", AUTH, """
        <c:recordVisit><c:customerId>3</c:customerId><c:channel>branch</c:channel>
          <c:at>2024-05-01T10:15:30+02:00</c:at></c:recordVisit>""");

    assertThat(reply.status()).isEqualTo(202);
    assertThat(samples.recordedVisits()).containsExactly(new RecordedVisit(3, "branch",
        OffsetDateTime.parse("2024-05-01T10:15:30+02:00")));
  }

  @Test
  void rejectedOneWayRequestsAnswerWithAFaultAndRecordNothing() {
    samples.clearRecordedVisits();
    String visit = "<c:recordVisit><c:customerId>3</c:customerId><c:at>2024-05-01T10:15:30Z</c:at></c:recordVisit>";

    Reply invalid = call12("recordVisit", AUTH, visit);
    Reply unauthenticated = call12("recordVisit", "", visit.replace("<c:at>",
        "<c:channel>web</c:channel><c:at>"));

    assertThat(invalid.status()).isEqualTo(500);
    assertThat(invalid.text("//s12:Fault/s12:Code/s12:Value")).endsWith(":Sender");
    assertThat(unauthenticated.text("//s12:Fault/s12:Reason/s12:Text"))
        .isEqualTo("invalid or missing auth token");
    assertThat(samples.recordedVisits()).isEmpty();
  }

  @Test
  void generatedClientSeesTheDeclaredFault() throws JAXBException {
    CustomerPortType port = new CustomerService().getCustomerSoap12Port();
    AuthHeader auth = new AuthHeader();
    auth.setToken(TOKEN);
    var context = ((BindingProvider) port).getRequestContext();
    context.put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY, samples.customers12Url());
    context.put(Header.HEADER_LIST, List.of(new Header(AuthTokenInterceptor.AUTH_HEADER, auth,
        new JAXBDataBinding(AuthHeader.class))));

    assertThat(port.findCustomers("Nakamura", null, null)).singleElement()
        .satisfies(customer -> assertThat(customer.getVersion()).isEqualTo(3));
    assertThatThrownBy(() -> port.getCustomer(7))
        .isInstanceOfSatisfying(CustomerNotFound.class,
            fault -> assertThat(fault.getFaultInfo().getCustomerId()).isEqualTo(7));
  }
}
