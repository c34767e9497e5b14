package dev.ficus.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The accounting of {@link ShadowBudget}: what a copy is refused, and that it gives back exactly what it took. */
class ShadowBudgetTest {
  @Test
  void aCopyBeyondTheRoutesQueueSizeIsRefusedAndHoldsNothing() {
    ShadowBudget total = new ShadowBudget(1_000, 10);
    ShadowBudget.Route route = total.route();
    ShadowBudget.Copy first = route.open(1, 1_000, 100);
    ShadowBudget.Copy second = route.open(1, 1_000, 100);
    assertThat(first.refusal()).isNull();
    assertThat(second.refusal()).isEqualTo(ShadowBudget.Refusal.ROUTE_IN_FLIGHT);
    assertThat(second.reserve(1)).isFalse();
    assertThat(route.inFlight()).isEqualTo(1);
    assertThat(total.bytesHeld()).isEqualTo(100);
  }

  @Test
  void aCopyBeyondTheGatewaysInFlightIsRefusedAndGivesItsRouteSlotBack() {
    ShadowBudget total = new ShadowBudget(1_000, 1);
    ShadowBudget.Copy a = total.route().open(10, 1_000, 0);
    ShadowBudget.Route other = total.route();
    ShadowBudget.Copy b = other.open(10, 1_000, 0);
    assertThat(a.refusal()).isNull();
    assertThat(b.refusal()).isEqualTo(ShadowBudget.Refusal.IN_FLIGHT);
    assertThat(other.inFlight()).isZero();
    assertThat(total.inFlight()).isEqualTo(1);
  }

  @Test
  void bytesBeyondTheRouteOrTheTotalAreRefusedAndTheCopyGivesBackAllItHeld() {
    ShadowBudget total = new ShadowBudget(1_000, 10);
    ShadowBudget.Route small = total.route();
    ShadowBudget.Copy overRoute = small.open(10, 300, 100);
    assertThat(overRoute.reserve(150)).isTrue();
    assertThat(overRoute.reserve(100)).isFalse();
    assertThat(overRoute.refusal()).isEqualTo(ShadowBudget.Refusal.ROUTE_MEMORY);
    assertThat(small.bytesHeld()).isZero();
    assertThat(small.inFlight()).isZero();

    ShadowBudget.Route big = total.route();
    ShadowBudget.Copy holder = big.open(10, 10_000, 900);
    ShadowBudget.Copy overTotal = big.open(10, 10_000, 50);
    assertThat(overTotal.reserve(51)).isFalse();
    assertThat(overTotal.refusal()).isEqualTo(ShadowBudget.Refusal.MEMORY);
    assertThat(big.bytesHeld()).as("only the holder's bytes").isEqualTo(900);
    assertThat(total.bytesHeld()).isEqualTo(900);
    holder.close();
    assertThat(total.bytesHeld()).isZero();
    assertThat(total.inFlight()).isZero();
  }

  @Test
  void aCopyClosedTwiceGivesBackOnceAndIsRefusedAnythingAfter() {
    ShadowBudget total = new ShadowBudget(1_000, 10);
    ShadowBudget.Route route = total.route();
    ShadowBudget.Copy keep = route.open(10, 1_000, 10);
    ShadowBudget.Copy c = route.open(10, 1_000, 10);
    assertThat(c.reserve(90)).isTrue();
    c.close();
    c.close();
    assertThat(c.reserve(1)).isFalse();
    assertThat(c.refusal()).as("closed, not refused").isNull();
    assertThat(route.bytesHeld()).isEqualTo(10);
    assertThat(route.inFlight()).isEqualTo(1);
    keep.close();
    assertThat(total.bytesHeld()).isZero();
    assertThat(total.inFlight()).isZero();
  }
}
