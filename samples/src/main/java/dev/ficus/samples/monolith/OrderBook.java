package dev.ficus.samples.monolith;

import dev.ficus.samples.monolith.Order.Item;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shop's orders, in memory. Seeded with seven orders: customer 1 has {@code 1001},
 * {@code 1002} and a UUID order, customer 4 {@code 1003} and a UUID order, customer 5
 * {@code 1004}, customer 6 a UUID order; customers 2 and 3 have none. Placed orders get a
 * random UUID. Thread-safe.
 */
final class OrderBook {

  private static final Comparator<Order> OLDEST_FIRST =
      Comparator.comparing(Order::placedAt).thenComparing(Order::id);

  private final ConcurrentHashMap<String, Order> orders = new ConcurrentHashMap<>();
  private final Clock clock;

  private OrderBook(Clock clock) {
    this.clock = clock;
  }

  static OrderBook seeded() {
    OrderBook book = new OrderBook(Clock.systemUTC());
    Seed.orders().forEach(order -> book.orders.put(order.id(), order));
    return book;
  }

  Optional<Order> find(String id) {
    return Optional.ofNullable(orders.get(id.toLowerCase(Locale.ROOT)));
  }

  /** The customer's orders, oldest first; empty when there are none. */
  List<Order> ofCustomer(long customerId) {
    return orders.values().stream()
        .filter(order -> order.customerId() == customerId)
        .sorted(OLDEST_FIRST)
        .toList();
  }

  /** Stores a new {@code PLACED} order with a random UUID, placed now; returns it. */
  Order place(long customerId, String currency, List<Item> items) {
    Order order = new Order(UUID.randomUUID().toString(), customerId, "PLACED",
        Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString(), currency, items);
    orders.put(order.id(), order);
    return order;
  }

  private static final class Seed {

    static List<Order> orders() {
      return List.of(
          new Order("1001", 1, "DELIVERED", "2023-01-15T10:04:00Z", "GBP", List.of(
              item("BK-0042", "The Hitchhiker's Guide to the Galaxy", 1, "12.99"),
              item("TW-0007", "Tea towel", 2, "4.50"))),
          new Order("1002", 1, "SHIPPED", "2024-03-02T16:20:00Z", "GBP", List.of(
              item("UM-0100", "Umbrella, black", 1, "18.00"))),
          new Order("5b0c9d1e-8a4f-4c2b-9e3a-7f1d2c6b8a90", 1, "PLACED", "2024-03-18T08:30:00Z",
              "GBP", List.of(item("BK-0043", "The Restaurant at the End of the Universe", 1,
                  "9.99"))),
          new Order("1003", 4, "DELIVERED", "2024-02-11T03:15:00Z", "JPY", List.of(
              item("TE-0200", "Sencha, 100 g", 3, "1200"))),
          new Order("e2a7c3f4-1b6d-4e8a-a5c9-3d0f7b2e6c15", 4, "CANCELLED",
              "2024-03-05T12:00:00Z", "JPY", List.of(item("KT-0001", "Cast iron kettle", 1,
                  "8800"))),
          new Order("1004", 5, "SHIPPED", "2024-03-09T19:45:30Z", "EUR", List.of(
              item("OL-0500", "Olive oil, 500 ml", 4, "7.25"),
              item("SF-0010", "Saffron, 1 g", 1, "11.90"))),
          new Order("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", 6, "PLACED", "2024-03-30T23:59:00Z",
              "USD", List.of(item("SV-9000", "Enterprise support, annual", 1, "250000.00"))));
    }

    private static Item item(String sku, String name, int quantity, String unitPrice) {
      return new Item(sku, name, quantity, new BigDecimal(unitPrice));
    }
  }
}
