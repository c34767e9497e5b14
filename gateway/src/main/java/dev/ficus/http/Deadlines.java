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
 * Requests of one upstream share one timeout, so their deadlines arrive in the order they were
 * set: a list sorted by deadline takes a new entry at its tail, and an entry that completes
 * unlinks itself in constant time. One XNIO timer waits for the earliest deadline; when it fires
 * it expires what is due and waits for the next. An entry that completes early leaves the timer
 * alone: it fires, finds nothing due and is set again, about once per timeout period under steady
 * load.
 *
 * <p>Threads: everything here runs on the IO thread the entry belongs to ({@link #add} is called
 * on it, and the timer fires on it); nothing is locked.
 */
public final class Deadlines implements Runnable {
  /** Something with a deadline: {@link #expired} runs on its IO thread if it is not cancelled first. */
  public abstract static class Entry {
    private Deadlines owner;
    private Entry prev;
    private Entry next;
    private long deadline;

    /** The deadline passed: called once, on the IO thread, after the entry was taken off. */
    protected abstract void expired();

    /** Takes the entry off (a no-op when it is not on): it will not expire. */
    protected final void cancelDeadline() {
      if (owner != null) {
        owner.unlink(this);
      }
    }
  }

  private static final Logger LOG = Logger.getLogger(Deadlines.class.getName());
  private static final ThreadLocal<Deadlines> PER_THREAD = new ThreadLocal<>();

  private final XnioIoThread io;
  private Entry head;
  private Entry tail;
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
    d.insert(e, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
  }

  private void insert(Entry e, long deadline) {
    e.owner = this;
    e.deadline = deadline;
    Entry p = tail;
    while (p != null && p.deadline - deadline > 0) {
      p = p.prev; // a shorter timeout than those before it: rare, routes of one upstream share one
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
    arm();
  }

  private void unlink(Entry e) {
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
    e.owner = null;
  }

  /** Sets the timer for the head's deadline, unless it is already set for that or earlier. */
  private void arm() {
    if (head == null || (timer != null && armedFor - head.deadline <= 0)) {
      return;
    }
    if (timer != null) {
      timer.remove();
    }
    armedFor = head.deadline;
    long millis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(armedFor - System.nanoTime() + 999_999));
    timer = io.executeAfter(this, millis, TimeUnit.MILLISECONDS);
  }

  /** The timer: expires every entry that is due, then waits for the next deadline. */
  @Override
  public void run() {
    timer = null;
    long now = System.nanoTime();
    while (head != null && head.deadline - now <= 0) {
      Entry e = head;
      unlink(e);
      try {
        e.expired();
      } catch (RuntimeException ex) {
        // One entry's failure must not keep the others from expiring.
        LOG.log(Level.WARNING, "a timeout handler failed", ex);
      }
    }
    arm();
  }

  /** Entries on this thread's list (for tests). */
  static int pending() {
    Deadlines d = PER_THREAD.get();
    int n = 0;
    for (Entry e = d == null ? null : d.head; e != null; e = e.next) {
      n++;
    }
    return n;
  }
}
