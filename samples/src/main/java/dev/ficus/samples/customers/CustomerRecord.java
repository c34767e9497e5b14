package dev.ficus.samples.customers;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One seeded customer, field for field the {@code Customer} type of {@code wsdl/customers.xsd}.
 * Dates keep the lexical form the SOAP service sends, so every sample renders them alike.
 *
 * @param id            the customer id
 * @param firstName     never null
 * @param middleName    null when the customer has none (xsi:nil in SOAP, null in JSON)
 * @param lastName      never null
 * @param email         null when absent
 * @param status        {@code ACTIVE}, {@code SUSPENDED} or {@code CLOSED}
 * @param birthDate     an xs:date such as {@code 1980-04-12}, or null when absent
 * @param createdAt     an xs:dateTime such as {@code 2019-03-01T09:15:00Z}
 * @param creditLimit   an exact decimal, scale kept ({@code 1000.00})
 * @param loyaltyPoints the points balance
 * @param vip           whether the customer is a VIP
 * @param version       the record version attribute, or null when absent
 * @param addresses     in document order; immutable
 * @param tags          in document order; immutable
 */
public record CustomerRecord(long id, String firstName, String middleName, String lastName,
    String email, String status, String birthDate, String createdAt, BigDecimal creditLimit,
    int loyaltyPoints, boolean vip, Integer version, List<AddressRecord> addresses,
    List<String> tags) {

  public CustomerRecord {
    Objects.requireNonNull(firstName, "firstName");
    Objects.requireNonNull(lastName, "lastName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(creditLimit, "creditLimit");
    addresses = List.copyOf(addresses);
    tags = List.copyOf(tags);
  }

  /**
   * A postal address of a customer.
   *
   * @param kind       {@code HOME}, {@code WORK} or {@code BILLING}
   * @param street     never null
   * @param city       never null
   * @param postalCode never null
   * @param country    ISO 3166-1 alpha-2 code
   */
  public record AddressRecord(String kind, String street, String city, String postalCode,
      String country) {
  }
}
