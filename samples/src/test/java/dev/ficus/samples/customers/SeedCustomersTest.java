package dev.ficus.samples.customers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.samples.customers.CustomerRecord.AddressRecord;
import dev.ficus.samples.http.Http;
import dev.ficus.samples.soap.SoapSamples;
import dev.ficus.samples.soap.customers.api.CustomerPortType;
import dev.ficus.samples.soap.customers.api.CustomerService;
import dev.ficus.samples.soap.customers.model.AuthHeader;
import dev.ficus.samples.soap.customers.model.Customer;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.ws.BindingProvider;
import java.util.List;
import javax.xml.datatype.XMLGregorianCalendar;
import javax.xml.namespace.QName;
import org.apache.cxf.headers.Header;
import org.apache.cxf.jaxb.JAXBDataBinding;
import org.junit.jupiter.api.Test;

/**
 * The HTTP samples' seed customers are the SOAP CustomerService's, field for field: the
 * monolith's JSON and the SOAP answer tell the same story.
 */
class SeedCustomersTest {

  @Test
  void everySeedCustomerIsTheSoapServicesCustomer() throws Exception {
    try (SoapSamples soap = SoapSamples.start("127.0.0.1", Http.freePort(), "t")) {
      CustomerPortType port = client(soap.customersUrl(), "t");

      for (CustomerRecord seed : SeedCustomers.all()) {
        assertThat(record(port.getCustomer(seed.id()))).isEqualTo(seed);
      }
    }
  }

  @Test
  void seedIdsAreOneToSix() {
    assertThat(SeedCustomers.all()).extracting(CustomerRecord::id)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(SeedCustomers.find(4)).get().extracting(CustomerRecord::lastName)
        .isEqualTo("Nakamura");
    assertThat(SeedCustomers.find(7)).isEmpty();
  }

  private static CustomerPortType client(String url, String token) throws JAXBException {
    CustomerPortType port = new CustomerService().getCustomerSoap11Port();
    AuthHeader auth = new AuthHeader();
    auth.setToken(token);
    var context = ((BindingProvider) port).getRequestContext();
    context.put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY, url);
    context.put(Header.HEADER_LIST, List.of(new Header(
        new QName("urn:example:customers:v1", "authHeader"), auth,
        new JAXBDataBinding(AuthHeader.class))));
    return port;
  }

  private static CustomerRecord record(Customer c) {
    return new CustomerRecord(c.getId(), c.getFirstName(), c.getMiddleName(), c.getLastName(),
        c.getEmail(), c.getStatus().value(), lexical(c.getBirthDate()), lexical(c.getCreatedAt()),
        c.getCreditLimit(), c.getLoyaltyPoints(), c.isVip(), c.getVersion(),
        c.getAddress().stream().map(a -> new AddressRecord(a.getKind().value(), a.getStreet(),
            a.getCity(), a.getPostalCode(), a.getCountry())).toList(),
        c.getTag());
  }

  private static String lexical(XMLGregorianCalendar value) {
    return value == null ? null : value.toXMLFormat();
  }
}
