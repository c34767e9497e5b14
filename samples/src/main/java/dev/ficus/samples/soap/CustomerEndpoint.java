package dev.ficus.samples.soap;

import dev.ficus.samples.soap.customers.api.CustomerNotFound;
import dev.ficus.samples.soap.customers.api.CustomerPortType;
import dev.ficus.samples.soap.customers.model.Address;
import dev.ficus.samples.soap.customers.model.Customer;
import dev.ficus.samples.soap.customers.model.CustomerStatus;
import jakarta.jws.WebService;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.datatype.XMLGregorianCalendar;

/**
 * CustomerService (customers.wsdl), published on both its SOAP 1.1 and SOAP 1.2 ports.
 *
 * <p>Called on CXF worker threads; thread-safe. The {@code authHeader} SOAP header is
 * enforced before these methods run, by {@link AuthTokenInterceptor}. Customer
 * {@value #FAILING_CUSTOMER_ID} makes {@link #getCustomer} fail with an undeclared
 * server fault, for tests of the gateway's error path.
 *
 * <p>Service, port and contract are set where {@link SoapSamples} publishes it.
 */
@WebService(endpointInterface = "dev.ficus.samples.soap.customers.api.CustomerPortType")
final class CustomerEndpoint implements CustomerPortType {

  static final long FAILING_CUSTOMER_ID = 500;

  private final CustomerDirectory directory;
  private final List<RecordedVisit> visits = new CopyOnWriteArrayList<>();

  CustomerEndpoint(CustomerDirectory directory) {
    this.directory = directory;
  }

  /** The visits received so far, oldest first; an immutable snapshot. */
  List<RecordedVisit> recordedVisits() {
    return List.copyOf(visits);
  }

  void clearRecordedVisits() {
    visits.clear();
  }

  @Override
  public Customer getCustomer(long customerId) throws CustomerNotFound {
    if (customerId == FAILING_CUSTOMER_ID) {
      throw new IllegalStateException(
          "simulated backend failure while loading customer " + customerId);
    }
    return directory.find(customerId).orElseThrow(() -> notFound(customerId));
  }

  @Override
  public List<Customer> findCustomers(String lastName, CustomerStatus status, Integer maxResults) {
    return directory.findByLastName(lastName, status, maxResults);
  }

  @Override
  public Customer createCustomer(String firstName, String middleName, String lastName,
      String email, XMLGregorianCalendar birthDate, BigDecimal creditLimit,
      List<Address> address) {
    return directory.create(customer -> {
      customer.setFirstName(firstName);
      customer.setMiddleName(middleName);
      customer.setLastName(lastName);
      customer.setEmail(email);
      customer.setStatus(CustomerStatus.ACTIVE);
      customer.setBirthDate(birthDate);
      customer.setCreatedAt(XmlDates.nowUtc());
      customer.setCreditLimit(creditLimit);
      if (address != null) {
        customer.getAddress().addAll(address);
      }
    });
  }

  @Override
  public void recordVisit(long customerId, String channel, XMLGregorianCalendar at) {
    visits.add(new RecordedVisit(customerId, channel, XmlDates.toOffsetDateTime(at)));
  }

  private static CustomerNotFound notFound(long customerId) {
    var detail = new dev.ficus.samples.soap.customers.model.CustomerNotFound();
    detail.setCustomerId(customerId);
    detail.setMessage("customer " + customerId + " not found");
    return new CustomerNotFound(detail.getMessage(), detail);
  }
}
