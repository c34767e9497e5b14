package dev.ficus.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that request bodies being read by mapped routes may hold, over the whole gateway
 * ({@code limits.maxBodyMemory}). A {@link BodyReader} reserves the capacity of a body's buffer
 * before it grows it and gives it all back when the body ends, however it ends; a reservation
 * that would go past the capacity is refused and the request gets 503.
 *
 * <p>Why one budget and not only a per-request limit: {@code maxBodySize} bounds one body, but
 * not how many are read at once; a few hundred clients each sending most of a large body would
 * otherwise fill the heap between them.
 *
 * <p>Threads: thread-safe and lock-free (the IO threads of every connection share it).
 */
public final class BodyBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  /** @param capacity bytes; at least 1 */
  public BodyBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a body budget needs at least one byte, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Takes {@code bytes} (at least 0) from the budget; false, taking nothing, when they are not left. */
  boolean reserve(long bytes) {
    while (true) {
      long u = used.get();
      if (u + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(u, u + bytes)) {
        return true;
      }
    }
  }

  /** Gives back {@code bytes} taken by {@link #reserve}. */
  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes held by bodies being read right now. */
  public long used() {
    return used.get();
  }

  public long capacity() {
    return capacity;
  }
}
