package dev.ficus.migration;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Parity of one shadowed route: how often the shadow answered like the primary, how often not
 * (and at which JSON pointers), how often the shadow failed or was dropped, and a bounded
 * sample of recent differences, with the route's share of the {@link ShadowBudget} (copies in
 * flight, bytes held) and the copies dropped over it, by reason. Thread-safe; written from
 * backend-client threads, read by the admin listener. Lives across reloads for the same route.
 */
public final class Parity {
  private final String route;
  private final String shadow;
  private final int maxSamples;
  private final LongAdder matches = new LongAdder();
  private final LongAdder mismatches = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final java.util.EnumMap<ShadowBudget.Refusal, LongAdder> dropped = new java.util.EnumMap<>(
      ShadowBudget.Refusal.class);
  private final ShadowBudget.Route budget;
  private final LongAdder skipped = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> byPointer = new ConcurrentHashMap<>();
  private final Deque<Sample> samples = new ArrayDeque<>();

  /** {@code budget}: the route's counters, drawn from the gateway's shadow budget. */
  public Parity(String route, String shadow, int maxSamples, ShadowBudget.Route budget) {
    this.route = route;
    this.shadow = shadow;
    this.maxSamples = maxSamples;
    this.budget = budget;
    for (ShadowBudget.Refusal r : ShadowBudget.Refusal.values()) {
      dropped.put(r, new LongAdder());
    }
  }

  /** The route's share of the shadow budget (its copies in flight and bytes held). */
  public ShadowBudget.Route budget() {
    return budget;
  }

  /** A recorded mismatch or error: when, which request, what differed. */
  public record Sample(Instant at, String method, String path, List<ResponseComparator.Difference> differences,
      String error) {}

  public void match() {
    matches.increment();
  }

  public void mismatch(String method, String path, List<ResponseComparator.Difference> diffs) {
    // Pointers and sample first: a snapshot that counts this mismatch also shows where it is.
    for (ResponseComparator.Difference d : diffs) {
      byPointer.computeIfAbsent(d.pointer(), k -> new LongAdder()).increment();
    }
    remember(new Sample(Instant.now(), method, path, diffs, null));
    mismatches.increment();
  }

  public void error(String method, String path, String error) {
    errors.increment();
    remember(new Sample(Instant.now(), method, path, List.of(), error));
  }

  /** The copy was refused by the shadow budget for {@code reason}: it was not sent. */
  public void dropped(ShadowBudget.Refusal reason) {
    dropped.get(reason).increment();
  }

  /** The exchange was not comparable (e.g. the body exceeded the capture limit). */
  public void skipped() {
    skipped.increment();
  }

  private void remember(Sample s) {
    if (maxSamples == 0) {
      return;
    }
    synchronized (samples) {
      samples.addFirst(s);
      while (samples.size() > maxSamples) {
        samples.removeLast();
      }
    }
  }

  /**
   * A consistent-enough snapshot for the report.
   *
   * @param dropped copies dropped over the shadow budget, all reasons together
   * @param droppedBy the same by {@link ShadowBudget.Refusal#key()}, every reason present
   * @param inFlight the route's copies in flight now (from the request's arrival to the shadow's answer)
   * @param bytesHeld the bytes the route's copies hold now
   */
  public record Snapshot(String route, String shadow, long compared, long matches, long mismatches, long errors,
      long dropped, long skipped, double parityPercent, Map<String, Long> mismatchesByPointer, List<Sample> recent,
      Map<String, Long> droppedBy, int inFlight, long bytesHeld) {}

  public Snapshot snapshot() {
    long m = matches.sum();
    long mm = mismatches.sum();
    long compared = m + mm;
    java.util.LinkedHashMap<String, Long> ptr = new java.util.LinkedHashMap<>();
    byPointer.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed())
        .forEach(e -> ptr.put(e.getKey(), e.getValue().sum()));
    List<Sample> recent;
    synchronized (samples) {
      recent = new ArrayList<>(samples);
    }
    java.util.LinkedHashMap<String, Long> by = new java.util.LinkedHashMap<>();
    long drops = 0;
    for (Map.Entry<ShadowBudget.Refusal, LongAdder> e : dropped.entrySet()) {
      long n = e.getValue().sum();
      by.put(e.getKey().key(), n);
      drops += n;
    }
    return new Snapshot(route, shadow, compared, m, mm, errors.sum(), drops, skipped.sum(),
        compared == 0 ? 100.0 : Math.round(m * 10000.0 / compared) / 100.0, ptr, recent, by, budget.inFlight(),
        budget.bytesHeld());
  }
}
