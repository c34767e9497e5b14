package dev.ficus.samples.customers;

import dev.ficus.samples.customers.CustomerRecord.AddressRecord;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The six seed customers (ids 1..6) that every sample system knows: the same records the SOAP
 * CustomerService serves (its {@code CustomerDirectory} seed; {@code SeedCustomersTest}
 * checks that the two agree), so the legacy monolith, the new customer service and the SOAP
 * service tell one story. Immutable and thread-safe.
 */
public final class SeedCustomers {

  private static final List<CustomerRecord> ALL = List.of(
      new CustomerRecord(1, "John", "Robert", "Smith", "john.smith@example.com", "ACTIVE",
          "1980-04-12", "2019-03-01T09:15:00Z", new BigDecimal("2500.50"), 1200, false, null,
          List.of(address("HOME", "12 Baker Street", "London", "NW1 6XE", "GB")),
          List.of("newsletter")),
      new CustomerRecord(2, "Mary", null, "Smith", null, "SUSPENDED",
          "1975-11-30", "2015-07-21T14:02:33Z", new BigDecimal("1000.00"), 0, false, null,
          List.of(), List.of()),
      new CustomerRecord(3, "Peter", null, "Smith", "p.smith@example.org", "CLOSED",
          null, "2012-01-05T08:00:00Z", new BigDecimal("150.75"), 35, false, null,
          List.of(address("HOME", "4 Elm Row", "Edinburgh", "EH7 4AA", "GB"),
              address("BILLING", "PO Box 77", "Glasgow", "G1 1AA", "GB")),
          List.of("churned", "paper-invoice")),
      new CustomerRecord(4, "Yuki", null, "Nakamura", "yuki.nakamura@example.jp", "ACTIVE",
          "1990-02-14", "2021-09-09T10:30:00+09:00", new BigDecimal("12000.00"), 48210, true, 3,
          List.of(address("WORK", "1-1 Marunouchi", "Tokyo", "100-0005", "JP"),
              address("HOME", "3-2-1 Nishi", "Yokohama", "220-0011", "JP")),
          List.of("vip", "jp-region")),
      new CustomerRecord(5, "Ana", "Lucía", "García", "ana.garcia@example.es", "ACTIVE",
          "1988-07-03", "2020-02-29T17:45:10.250Z", new BigDecimal("7500.25"), 980, false, null,
          List.of(address("WORK", "Calle de Alcalá 42", "Madrid", "28014", "ES")),
          List.of()),
      new CustomerRecord(6, "Oluwaseun", null, "Adeyemi", "seun@adeyemi.example.ng", "ACTIVE",
          null, "2023-12-31T23:59:59Z", new BigDecimal("99999999.99"), Integer.MAX_VALUE, true,
          null, List.of(), List.of("enterprise")));

  private SeedCustomers() {
  }

  /** Every seed customer, in id order. */
  public static List<CustomerRecord> all() {
    return ALL;
  }

  /** The seed customer with this id, or empty. */
  public static Optional<CustomerRecord> find(long id) {
    return ALL.stream().filter(c -> c.id() == id).findFirst();
  }

  private static AddressRecord address(String kind, String street, String city,
      String postalCode, String country) {
    return new AddressRecord(kind, street, city, postalCode, country);
  }
}
