package dev.ficus.samples.http.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.samples.customers.CustomerRecord;
import dev.ficus.samples.customers.CustomerRecord.AddressRecord;

/**
 * A customer as JSON in the shape the gateway gives the SOAP {@code Customer}: the
 * {@code version} attribute first when present, then the elements in schema order;
 * {@code middleName} null when nil; {@code email} and {@code birthDate} absent when absent;
 * {@code address} and {@code tag} always arrays. Stateless.
 */
public final class CustomerJson {

  private CustomerJson() {
  }

  /** A new JSON object for {@code customer}; the caller may modify it. */
  public static ObjectNode render(CustomerRecord customer) {
    ObjectNode json = Json.object();
    if (customer.version() != null) {
      json.put("version", customer.version());
    }
    json.put("id", customer.id());
    json.put("firstName", customer.firstName());
    json.put("middleName", customer.middleName());
    json.put("lastName", customer.lastName());
    if (customer.email() != null) {
      json.put("email", customer.email());
    }
    json.put("status", customer.status());
    if (customer.birthDate() != null) {
      json.put("birthDate", customer.birthDate());
    }
    json.put("createdAt", customer.createdAt());
    json.put("creditLimit", customer.creditLimit());
    json.put("loyaltyPoints", customer.loyaltyPoints());
    json.put("vip", customer.vip());
    ArrayNode addresses = json.putArray("address");
    for (AddressRecord address : customer.addresses()) {
      addresses.addObject()
          .put("kind", address.kind())
          .put("street", address.street())
          .put("city", address.city())
          .put("postalCode", address.postalCode())
          .put("country", address.country());
    }
    ArrayNode tags = json.putArray("tag");
    customer.tags().forEach(tags::add);
    return json;
  }
}
