package dev.ficus.samples.soap;

import dev.ficus.samples.soap.customers.model.Address;
import dev.ficus.samples.soap.customers.model.AddressKind;
import dev.ficus.samples.soap.customers.model.Customer;
import dev.ficus.samples.soap.customers.model.CustomerStatus;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The in-memory customer records behind CustomerService, seeded with six customers
 * (ids 1..6; last names: Smith ×3, Nakamura ×1, Garcia ×1, Adeyemi ×1).
 *
 * <p>Thread-safe. Stored {@link Customer} objects are never modified after insertion, so
 * they can be marshalled by several requests at once. Created customers get ids from
 * {@value #FIRST_CREATED_ID} upwards, which keeps the reserved failure id
 * {@value CustomerEndpoint#FAILING_CUSTOMER_ID} free.
 */
final class CustomerDirectory {

  static final long FIRST_CREATED_ID = 1001;

  private final ConcurrentSkipListMap<Long, Customer> customers = new ConcurrentSkipListMap<>();
  private final AtomicLong nextId = new AtomicLong(FIRST_CREATED_ID);

  /** A directory holding the seed customers. */
  static CustomerDirectory seeded() {
    CustomerDirectory directory = new CustomerDirectory();
    Seed.customers().forEach(directory::put);
    return directory;
  }

  Optional<Customer> find(long id) {
    return Optional.ofNullable(customers.get(id));
  }

  /**
   * Customers whose last name equals {@code lastName} ignoring case, in id order.
   *
   * @param status     only customers in this status, or null for any
   * @param maxResults at most this many (a negative value counts as 0), or null for all
   */
  List<Customer> findByLastName(String lastName, CustomerStatus status, Integer maxResults) {
    long limit = maxResults == null ? Long.MAX_VALUE : Math.max(0, maxResults);
    return customers.values().stream()
        .filter(c -> c.getLastName().equalsIgnoreCase(lastName))
        .filter(c -> status == null || c.getStatus() == status)
        .limit(limit)
        .toList();
  }

  /** Stores a new customer built by {@code fill}, after assigning its id; returns it. */
  Customer create(Consumer<Customer> fill) {
    Customer customer = new Customer();
    fill.accept(customer);
    customer.setId(nextId.getAndIncrement());
    put(customer);
    return customer;
  }

  private void put(Customer customer) {
    customers.put(customer.getId(), customer);
  }

  /** The seed data: varied enough to exercise nil, optional and repeated elements. */
  private static final class Seed {

    static List<Customer> customers() {
      Customer john = customer(1, "John", "Robert", "Smith", CustomerStatus.ACTIVE, "2500.50");
      john.setEmail("john.smith@example.com");
      john.setBirthDate(XmlDates.parse("1980-04-12"));
      john.setCreatedAt(XmlDates.parse("2019-03-01T09:15:00Z"));
      john.setLoyaltyPoints(1200);
      john.getAddress().add(address(AddressKind.HOME, "12 Baker Street", "London", "NW1 6XE", "GB"));
      john.getTag().add("newsletter");

      Customer mary = customer(2, "Mary", null, "Smith", CustomerStatus.SUSPENDED, "1000.00");
      mary.setBirthDate(XmlDates.parse("1975-11-30"));
      mary.setCreatedAt(XmlDates.parse("2015-07-21T14:02:33Z"));

      Customer peter = customer(3, "Peter", null, "Smith", CustomerStatus.CLOSED, "150.75");
      peter.setEmail("p.smith@example.org");
      peter.setCreatedAt(XmlDates.parse("2012-01-05T08:00:00Z"));
      peter.setLoyaltyPoints(35);
      peter.getAddress().add(address(AddressKind.HOME, "4 Elm Row", "Edinburgh", "EH7 4AA", "GB"));
      peter.getAddress().add(address(AddressKind.BILLING, "PO Box 77", "Glasgow", "G1 1AA", "GB"));
      peter.getTag().add("churned");
      peter.getTag().add("paper-invoice");

      Customer yuki = customer(4, "Yuki", null, "Nakamura", CustomerStatus.ACTIVE, "12000.00");
      yuki.setVersion(3);
      yuki.setEmail("yuki.nakamura@example.jp");
      yuki.setBirthDate(XmlDates.parse("1990-02-14"));
      yuki.setCreatedAt(XmlDates.parse("2021-09-09T10:30:00+09:00"));
      yuki.setLoyaltyPoints(48210);
      yuki.setVip(true);
      yuki.getAddress().add(address(AddressKind.WORK, "1-1 Marunouchi", "Tokyo", "100-0005", "JP"));
      yuki.getAddress().add(address(AddressKind.HOME, "3-2-1 Nishi", "Yokohama", "220-0011", "JP"));
      yuki.getTag().add("vip");
      yuki.getTag().add("jp-region");

      Customer ana = customer(5, "Ana", "Lucía", "García", CustomerStatus.ACTIVE, "7500.25");
      ana.setEmail("ana.garcia@example.es");
      ana.setBirthDate(XmlDates.parse("1988-07-03"));
      ana.setCreatedAt(XmlDates.parse("2020-02-29T17:45:10.250Z"));
      ana.setLoyaltyPoints(980);
      ana.getAddress().add(address(AddressKind.WORK, "Calle de Alcalá 42", "Madrid", "28014", "ES"));

      Customer seun = customer(6, "Oluwaseun", null, "Adeyemi", CustomerStatus.ACTIVE, "99999999.99");
      seun.setEmail("seun@adeyemi.example.ng");
      seun.setCreatedAt(XmlDates.parse("2023-12-31T23:59:59Z"));
      seun.setLoyaltyPoints(Integer.MAX_VALUE);
      seun.setVip(true);
      seun.getTag().add("enterprise");

      return List.of(john, mary, peter, yuki, ana, seun);
    }

    private static Customer customer(long id, String first, String middle, String last,
        CustomerStatus status, String creditLimit) {
      Customer customer = new Customer();
      customer.setId(id);
      customer.setFirstName(first);
      customer.setMiddleName(middle);
      customer.setLastName(last);
      customer.setStatus(status);
      customer.setCreditLimit(new BigDecimal(creditLimit));
      return customer;
    }

    private static Address address(AddressKind kind, String street, String city,
        String postalCode, String country) {
      Address address = new Address();
      address.setKind(kind);
      address.setStreet(street);
      address.setCity(city);
      address.setPostalCode(postalCode);
      address.setCountry(country);
      return address;
    }
  }
}
