package dev.ficus.samples.soap;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A visit received by the one-way {@code recordVisit} operation of CustomerService.
 *
 * @param customerId the customer id as sent (not checked against the directory)
 * @param channel    the channel as sent, never null
 * @param at         the visit time; a value sent without a zone offset is read as UTC
 */
public record RecordedVisit(long customerId, String channel, OffsetDateTime at) {

  public RecordedVisit {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(at, "at");
  }
}
