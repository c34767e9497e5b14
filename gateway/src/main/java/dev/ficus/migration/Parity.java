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
 * sample of recent differences. Thread-safe; written from backend-client threads, read by the
 * admin listener. Lives across reloads for the same route.
 */
public final class Parity {
  private final String route;
  private final String shadow;
  private final int maxSamples;
  private final LongAdder matches = new LongAdder();
  private final LongAdder mismatches = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> byPointer = new ConcurrentHashMap<>();
  private final Deque<Sample> samples = new ArrayDeque<>();

  public Parity(String route, String shadow, int maxSamples) {
    this.route = route;
    this.shadow = shadow;
    this.maxSamples = maxSamples;
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

  /** The shadow queue was full: the copy was not sent. */
  public void dropped() {
    dropped.increment();
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

  /** A consistent-enough snapshot for the report. */
  public record Snapshot(String route, String shadow, long compared, long matches, long mismatches, long errors,
      long dropped, long skipped, double parityPercent, Map<String, Long> mismatchesByPointer, List<Sample> recent) {}

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
    return new Snapshot(route, shadow, compared, m, mm, errors.sum(), dropped.sum(), skipped.sum(),
        compared == 0 ? 100.0 : Math.round(m * 10000.0 / compared) / 100.0, ptr, recent);
  }
}
