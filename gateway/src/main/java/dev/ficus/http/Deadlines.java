package dev.ficus.http;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * The timeouts of one IO thread's in-flight requests, kept for one timer instead of one timer
 * per request.
 *
 * <p>Why: an XNIO timer ({@code executeAfter}) is an entry in the IO thread's sorted set, added
 * and removed for every request; on the pass-through path that was 2–3 % of the IO threads' time.
 *
 * <p>Design: requests with the same timeout (those of one upstream, one SOAP operation...) get
 * their deadlines in the order they were set, so each distinct timeout has a <em>lane</em>, a
 * list in deadline order that takes a new entry at its tail; an entry that completes unlinks
 * itself. Both are constant time. The first {@link #MAX_LANES} timeouts seen on a thread get
 * lanes; entries with any other timeout share one more list, kept sorted by walking back from its
 * tail. One XNIO timer waits for the earliest head; when it fires it expires what is due in every
 * lane and waits for the next. An entry that completes early leaves the timer alone: it fires,
 * finds nothing due and is set again, about once per timeout period under steady load.
 *
 * <p>Threads: everything here runs on the IO thread the entry belongs to ({@link #add} is called
 * on it, and the timer fires on it); nothing is locked.
 */
public final class Deadlines implements Runnable {
  /** Timeouts with a lane of their own, per IO thread; configurations have a handful. */
  static final int MAX_LANES = 8;

  /** Something with a deadline: {@link #expired} runs on its IO thread if it is not cancelled first. */
  public abstract static class Entry {
    private Lane lane;
    private Entry prev;
    private Entry next;
    private long deadline;

    /** The deadline passed: called once, on the IO thread, after the entry was taken off. */
    protected abstract void expired();

    /** Takes the entry off (a no-op when it is not on): it will not expire. */
    protected final void cancelDeadline() {
      if (lane != null) {
        lane.unlink(this);
      }
    }
  }

  /** Entries in deadline order. */
  private static final class Lane {
    final long timeoutNanos;
    Entry head;
    Entry tail;

    Lane(long timeoutNanos) {
      this.timeoutNanos = timeoutNanos;
    }

    /** At the tail, unless a later deadline is there (only in the shared lane). */
    void insert(Entry e, long deadline) {
      e.lane = this;
      e.deadline = deadline;
      Entry p = tail;
      while (p != null && p.deadline - deadline > 0) {
        p = p.prev;
      }
      e.prev = p;
      e.next = p == null ? head : p.next;
      if (e.next != null) {
        e.next.prev = e;
      } else {
        tail = e;
      }
      if (p != null) {
        p.next = e;
      } else {
        head = e;
      }
    }

    void unlink(Entry e) {
      if (e.prev != null) {
        e.prev.next = e.next;
      } else {
        head = e.next;
      }
      if (e.next != null) {
        e.next.prev = e.prev;
      } else {
        tail = e.prev;
      }
      e.prev = null;
      e.next = null;
      e.lane = null;
    }
  }

  private static final Logger LOG = Logger.getLogger(Deadlines.class.getName());
  private static final ThreadLocal<Deadlines> PER_THREAD = new ThreadLocal<>();

  private final XnioIoThread io;
  private final Lane[] lanes = new Lane[MAX_LANES];
  private int laneCount;
  /** Entries whose timeout has no lane of its own, sorted on insertion. */
  private final Lane shared = new Lane(-1);
  private XnioExecutor.Key timer;
  private long armedFor;

  private Deadlines(XnioIoThread io) {
    this.io = io;
  }

  /**
   * Puts {@code e} on the calling IO thread's list, to expire after {@code timeoutMillis}
   * (taking it off any list it was on).
   *
   * @throws IllegalStateException when not called on {@code io}
   */
  public static void add(XnioIoThread io, Entry e, long timeoutMillis) {
    if (Thread.currentThread() != io) {
      throw new IllegalStateException("deadlines are set on their own IO thread");
    }
    Deadlines d = PER_THREAD.get();
    if (d == null) {
      d = new Deadlines(io);
      PER_THREAD.set(d);
    }
    e.cancelDeadline();
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    long deadline = System.nanoTime() + timeoutNanos;
    d.laneFor(timeoutNanos).insert(e, deadline);
    d.arm(deadline);
  }

  private Lane laneFor(long timeoutNanos) {
    for (int i = 0; i < laneCount; i++) {
      if (lanes[i].timeoutNanos == timeoutNanos) {
        return lanes[i];
      }
    }
    if (laneCount < MAX_LANES) {
      return lanes[laneCount++] = new Lane(timeoutNanos);
    }
    return shared;
  }

  /** Sets the timer for {@code deadline}, unless it is already set for that or earlier. */
  private void arm(long deadline) {
    if (timer != null) {
      if (armedFor - deadline <= 0) {
        return;
      }
      timer.remove();
    }
    armedFor = deadline;
    long millis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999));
    timer = io.executeAfter(this, millis, TimeUnit.MILLISECONDS);
  }

  /** The timer: expires every entry that is due, then waits for the earliest deadline left. */
  @Override
  public void run() {
    timer = null;
    long now = System.nanoTime();
    for (int i = 0; i <= laneCount; i++) {
      Lane lane = i < laneCount ? lanes[i] : shared;
      while (lane.head != null && lane.head.deadline - now <= 0) {
        Entry e = lane.head;
        lane.unlink(e);
        try {
          e.expired();
        } catch (RuntimeException ex) {
          // One entry's failure must not keep the others from expiring.
          LOG.log(Level.WARNING, "a timeout handler failed", ex);
        }
      }
    }
    // An expiring entry may have added others (and set the timer for them): arm() keeps the
    // earlier of that and the earliest head left.
    Entry earliest = null;
    for (int i = 0; i <= laneCount; i++) {
      Entry h = (i < laneCount ? lanes[i] : shared).head;
      if (h != null && (earliest == null || h.deadline - earliest.deadline < 0)) {
        earliest = h;
      }
    }
    if (earliest != null) {
      arm(earliest.deadline);
    }
  }

  /** Entries on this thread's lists (for tests). */
  static int pending() {
    Deadlines d = PER_THREAD.get();
    int n = 0;
    for (int i = 0; d != null && i <= d.laneCount; i++) {
      for (Entry e = (i < d.laneCount ? d.lanes[i] : d.shared).head; e != null; e = e.next) {
        n++;
      }
    }
    return n;
  }
}
