package dev.ficus.migration;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory and the copies in flight that shadowing may use, over every route
 * ({@code limits.shadowMemory}, {@code limits.shadowInFlight}) and per route
 * ({@code shadow.maxMemory}, {@code shadow.queueSize}).
 *
 * <p>Design: a copy is a {@link Copy}. It takes a slot when its request comes in, before anything
 * is captured, and reserves bytes before it holds them (the captured request and answer, the
 * shadow's answer, its headers); each slot and each reservation is taken from the route and the
 * total together, and given back to the first if the second refuses. A copy that is refused
 * anything is abandoned: it holds nothing more and is counted as dropped, with the reason. A copy
 * gives everything back at once, exactly once, on whichever path ends it (answer, timeout,
 * connect failure, reset, abandoned capture, a client that leaves). The counters are plain
 * atomics (compare-and-set against the limit), so a copy costs no lock and nothing is ever
 * over-committed.
 *
 * <p>The total lives as long as the server (a reload keeps it and its limits, read at start); a
 * route's counters live with its {@link Parity}, so copies still in flight from the configuration
 * before a reload count against the same route after it. Thread-safe.
 */
public final class ShadowBudget {
  /** Why a copy was dropped; {@link #key} names it in the parity report. */
  public enum Refusal {
    /** The route's {@code shadow.queueSize} copies were in flight. */
    ROUTE_IN_FLIGHT("routeInFlight"),
    /** {@code limits.shadowInFlight} copies were in flight over every route. */
    IN_FLIGHT("inFlight"),
    /** The route's copies held {@code shadow.maxMemory} bytes. */
    ROUTE_MEMORY("routeMemory"),
    /** Copies held {@code limits.shadowMemory} bytes over every route. */
    MEMORY("memory");

    private final String key;

    Refusal(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  private final long maxBytes;
  private final int maxCopies;
  private final Counters total = new Counters();

  public ShadowBudget(long maxBytes, int maxCopies) {
    this.maxBytes = maxBytes;
    this.maxCopies = maxCopies;
  }

  /** A new route's counters, drawn from this budget. */
  public Route route() {
    return new Route(this);
  }

  /** Bytes that copies hold now, over every route. */
  public long bytesHeld() {
    return total.bytes.get();
  }

  /** Copies in flight now, over every route. */
  public int inFlight() {
    return total.copies.get();
  }

  /** Bytes held and copies in flight by one route or by all. */
  private static final class Counters {
    final AtomicLong bytes = new AtomicLong();
    final AtomicInteger copies = new AtomicInteger();
  }

  /** The counters of one shadowed route (across reloads); the limits come with each copy opened. */
  public static final class Route {
    private final ShadowBudget budget;
    private final Counters counters = new Counters();

    private Route(ShadowBudget budget) {
      this.budget = budget;
    }

    public long bytesHeld() {
      return counters.bytes.get();
    }

    public int inFlight() {
      return counters.copies.get();
    }

    /**
     * A copy holding {@code bytes} from the start (its headers), within the route's limits
     * {@code maxCopies} and {@code maxBytes} and the total's; it is refused (see
     * {@link Copy#refusal}) and holds nothing when any of them is reached.
     */
    Copy open(int maxCopies, long maxBytes, long bytes) {
      Copy c = new Copy(this, maxBytes);
      if (!add(counters.copies, maxCopies)) {
        c.refused(Refusal.ROUTE_IN_FLIGHT);
      } else if (!add(budget.total.copies, budget.maxCopies)) {
        counters.copies.decrementAndGet();
        c.refused(Refusal.IN_FLIGHT);
      } else {
        c.slot = true;
        c.reserve(bytes);
      }
      return c;
    }

    /** Null when {@code n} more bytes fit the route ({@code max}) and the total; else which refused. */
    private Refusal take(long n, long max) {
      if (!add(counters.bytes, n, max)) {
        return Refusal.ROUTE_MEMORY;
      }
      if (!add(budget.total.bytes, n, budget.maxBytes)) {
        counters.bytes.addAndGet(-n);
        return Refusal.MEMORY;
      }
      return null;
    }

    private void give(long bytes, boolean slot) {
      counters.bytes.addAndGet(-bytes);
      budget.total.bytes.addAndGet(-bytes);
      if (slot) {
        counters.copies.decrementAndGet();
        budget.total.copies.decrementAndGet();
      }
    }

    private static boolean add(AtomicInteger a, int max) {
      int v;
      do {
        v = a.get();
        if (v >= max) {
          return false;
        }
      } while (!a.compareAndSet(v, v + 1));
      return true;
    }

    private static boolean add(AtomicLong a, long n, long max) {
      long v;
      do {
        v = a.get();
        if (v + n > max) {
          return false;
        }
      } while (!a.compareAndSet(v, v + n));
      return true;
    }
  }

  /**
   * One shadow copy's share of the budget: a slot and the bytes reserved so far. Used from the
   * threads of its exchange and of its shadow call, one at a time, hence the monitor (never
   * contended). {@link #close} gives everything back, once.
   */
  static final class Copy implements ShadowClient.Memory {
    private final Route route;
    private final long maxBytes;
    private boolean slot;
    private long held;
    private boolean closed;
    private volatile Refusal refusal;

    private Copy(Route route, long maxBytes) {
      this.route = route;
      this.maxBytes = maxBytes;
    }

    /**
     * Reserves {@code bytes} more before the caller holds them; false (and the copy is
     * abandoned: closed, with its {@link #refusal}) when the route or the total has no room.
     */
    @Override
    public synchronized boolean reserve(long bytes) {
      if (closed) {
        return false;
      }
      if (bytes <= 0) {
        return true;
      }
      Refusal r = route.take(bytes, maxBytes);
      if (r != null) {
        refused(r);
        return false;
      }
      held += bytes;
      return true;
    }

    /** Why the copy was dropped, or null while it was refused nothing. */
    Refusal refusal() {
      return refusal;
    }

    /** False once closed (refused, or ended). */
    synchronized boolean open() {
      return !closed;
    }

    private void refused(Refusal r) {
      refusal = r;
      close();
    }

    /** Gives back the slot and every byte reserved; later calls do nothing. */
    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      route.give(held, slot);
      held = 0;
    }
  }
}
