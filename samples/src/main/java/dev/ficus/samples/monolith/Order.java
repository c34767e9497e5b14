package dev.ficus.samples.monolith;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.samples.http.internal.Json;
import java.math.BigDecimal;
import java.util.List;

/**
 * An order of the shop; immutable.
 *
 * @param id         a legacy numeric id ({@code "1001"}) or a UUID
 * @param customerId a seed customer's id
 * @param status     {@code PLACED}, {@code SHIPPED}, {@code DELIVERED} or {@code CANCELLED}
 * @param placedAt   an instant in UTC, {@code 2024-03-02T16:20:00Z}
 * @param currency   an ISO 4217 code
 * @param items      at least one
 */
record Order(String id, long customerId, String status, String placedAt, String currency,
    List<Item> items) {

  Order {
    items = List.copyOf(items);
  }

  /** One order line; {@code unitPrice} keeps its scale. */
  record Item(String sku, String name, int quantity, BigDecimal unitPrice) {
  }

  /** The sum of quantity × unit price over the items. */
  BigDecimal total() {
    return items.stream()
        .map(item -> item.unitPrice().multiply(BigDecimal.valueOf(item.quantity())))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /**
   * {@code {"id","customerId","status","placedAt","currency","items":[{"sku","name",
   * "quantity","unitPrice"}],"total"}}; {@code id} is always a string.
   */
  ObjectNode toJson() {
    ObjectNode json = Json.object()
        .put("id", id)
        .put("customerId", customerId)
        .put("status", status)
        .put("placedAt", placedAt)
        .put("currency", currency);
    ArrayNode lines = json.putArray("items");
    for (Item item : items) {
      lines.addObject()
          .put("sku", item.sku())
          .put("name", item.name())
          .put("quantity", item.quantity())
          .put("unitPrice", item.unitPrice());
    }
    json.put("total", total());
    return json;
  }
}
