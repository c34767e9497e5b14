package dev.ficus.migration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The migration's measured to-do list: every request a legacy upstream serves, counted by
 * upstream, method and normalised path template, with first/last seen, status mix and
 * latency. Bounded: past {@code maxEndpoints} distinct keys, new ones are counted under one
 * overflow row so a scan of random URLs cannot exhaust memory. Lock-free and thread-safe;
 * recording is called from IO threads when an exchange completes. Lives across reloads.
 */
public final class Inventory {
  /** Latency bucket upper bounds in microseconds (the last bucket is open). */
  private static final long[] BOUNDS_US = {
      250, 500, 1_000, 2_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000,
      5_000_000, 10_000_000};
  static final String OVERFLOW = "(other endpoints)";

  private final ConcurrentHashMap<Key, Stats> endpoints = new ConcurrentHashMap<>();
  private final int maxEndpoints;

  public Inventory(int maxEndpoints) {
    this.maxEndpoints = maxEndpoints;
  }

  record Key(String upstream, String method, String template) {}

  /** Running counters of one endpoint. */
  static final class Stats {
    final LongAdder count = new LongAdder();
    final LongAdder[] statusClass = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    final AtomicLongArray latency = new AtomicLongArray(BOUNDS_US.length + 1);
    final LongAdder latencySumUs = new LongAdder();
    final AtomicLong maxUs = new AtomicLong();
    final long firstSeen = System.currentTimeMillis();
    volatile long lastSeen = firstSeen;
  }

  /** Records one served request. */
  public void record(String upstream, String method, String path, int status, long latencyNanos) {
    Key k = new Key(upstream, method, PathNormalizer.normalize(path));
    Stats s = endpoints.get(k);
    if (s == null) {
      if (endpoints.size() >= maxEndpoints) {
        k = new Key(upstream, "*", OVERFLOW);
      }
      s = endpoints.computeIfAbsent(k, x -> new Stats());
    }
    s.count.increment();
    int cls = status / 100 - 1;
    s.statusClass[Math.max(0, Math.min(4, cls))].increment();
    long us = latencyNanos / 1000;
    int b = 0;
    while (b < BOUNDS_US.length && us > BOUNDS_US[b]) {
      b++;
    }
    s.latency.incrementAndGet(b);
    s.latencySumUs.add(us);
    s.maxUs.accumulateAndGet(us, Math::max);
    s.lastSeen = System.currentTimeMillis();
  }

  /** One row of the report. Latencies in milliseconds; percentiles are bucket upper bounds. */
  public record Row(String upstream, String method, String template, long count, String firstSeen, String lastSeen,
      long s2xx, long s3xx, long s4xx, long s5xx, double meanMs, double p50Ms, double p95Ms, double p99Ms,
      double maxMs) {}

  /** The report, most-called endpoints first. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    endpoints.forEach((k, s) -> {
      long n = s.count.sum();
      long[] hist = new long[s.latency.length()];
      for (int i = 0; i < hist.length; i++) {
        hist[i] = s.latency.get(i);
      }
      rows.add(new Row(k.upstream(), k.method(), k.template(), n, Instant.ofEpochMilli(s.firstSeen).toString(),
          Instant.ofEpochMilli(s.lastSeen).toString(), s.statusClass[1].sum(), s.statusClass[2].sum(), s.statusClass[3].sum(),
          s.statusClass[4].sum(), n == 0 ? 0 : s.latencySumUs.sum() / 1000.0 / n, pct(hist, 0.50, s),
          pct(hist, 0.95, s), pct(hist, 0.99, s), s.maxUs.get() / 1000.0));
    });
    rows.sort(Comparator.comparingLong(Row::count).reversed().thenComparing(Row::template));
    return rows;
  }

  private static double pct(long[] hist, double q, Stats s) {
    long total = 0;
    for (long h : hist) {
      total += h;
    }
    if (total == 0) {
      return 0;
    }
    long target = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < hist.length; i++) {
      seen += hist[i];
      if (seen >= target) {
        return i < BOUNDS_US.length ? Math.min(BOUNDS_US[i], s.maxUs.get()) / 1000.0 : s.maxUs.get() / 1000.0;
      }
    }
    return s.maxUs.get() / 1000.0;
  }

  /** The report as CSV (RFC 4180), header first. */
  public String csv() {
    StringBuilder sb = new StringBuilder(
        "upstream,method,template,count,first_seen,last_seen,2xx,3xx,4xx,5xx,mean_ms,p50_ms,p95_ms,p99_ms,max_ms\r\n");
    for (Row r : rows()) {
      sb.append(csvField(r.upstream())).append(',').append(r.method()).append(',').append(csvField(r.template()))
          .append(',').append(r.count()).append(',').append(r.firstSeen()).append(',').append(r.lastSeen())
          .append(',').append(r.s2xx()).append(',').append(r.s3xx()).append(',').append(r.s4xx()).append(',')
          .append(r.s5xx()).append(',').append(fmt(r.meanMs())).append(',').append(fmt(r.p50Ms())).append(',')
          .append(fmt(r.p95Ms())).append(',').append(fmt(r.p99Ms())).append(',').append(fmt(r.maxMs()))
          .append("\r\n");
    }
    return sb.toString();
  }

  private static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.3f", d);
  }

  private static String csvField(String s) {
    return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
