package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InventoryTest {
  @Test
  void requestsAreGroupedByNormalisedTemplateWithStatusMix() {
    Inventory inv = new Inventory(100);
    inv.record("monolith", "GET", "/api/orders/1", 200, 1_000_000);
    inv.record("monolith", "GET", "/api/orders/2", 404, 3_000_000);
    inv.record("monolith", "POST", "/api/orders", 201, 2_000_000);
    var rows = inv.rows();
    assertThat(rows).hasSize(2);
    Inventory.Row first = rows.get(0);
    assertThat(first.template()).isEqualTo("/api/orders/{id}");
    assertThat(first.count()).isEqualTo(2);
    assertThat(first.s2xx()).isEqualTo(1);
    assertThat(first.s4xx()).isEqualTo(1);
    assertThat(first.maxMs()).isEqualTo(3.0);
    assertThat(inv.csv()).startsWith("upstream,method,template,count")
        .contains("monolith,GET,/api/orders/{id},2,");
  }

  @Test
  void distinctEndpointsAreBoundedByAnOverflowRow() {
    Inventory inv = new Inventory(3);
    for (int i = 0; i < 50; i++) {
      inv.record("monolith", "GET", "/page-" + (char) ('a' + i % 26) + i, 200, 1000);
    }
    assertThat(inv.rows()).hasSizeLessThanOrEqualTo(4);
    assertThat(inv.rows()).anyMatch(r -> r.template().equals(Inventory.OVERFLOW) && r.count() >= 47);
  }
}
