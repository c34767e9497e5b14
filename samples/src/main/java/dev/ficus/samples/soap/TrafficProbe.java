package dev.ficus.samples.soap;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;

/**
 * A test hook on every port of a {@link SoapSamples} instance. It counts the SOAP requests
 * (HTTP POSTs) that reach the services. It can also hold each request before processing:
 * for a fixed delay (a slow backend), or until a given number of requests are held at once
 * (a barrier), measuring the most held at the same time. With it the gateway's tests prove
 * that an invalid request was never sent, that a slow backend times out, and that calls in
 * flight are not capped by a worker pool.
 *
 * <p>Runs on a CXF (Jetty) worker thread in the RECEIVE phase, before the envelope is read,
 * so every request is counted, valid or not. Holding blocks that worker thread, as a slow
 * legacy system would. Thread-safe.
 */
final class TrafficProbe extends AbstractPhaseInterceptor<Message> {

  private final AtomicLong received = new AtomicLong();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger maxHeld = new AtomicInteger();
  private volatile long delayMillis;
  private volatile Barrier barrier;

  private record Barrier(CountDownLatch latch, long maxWaitMillis) {}

  TrafficProbe() {
    super(Phase.RECEIVE);
  }

  @Override
  public void handleMessage(Message message) {
    if (!"POST".equals(message.get(Message.HTTP_REQUEST_METHOD))) {
      return; // ?wsdl and ?xsd downloads are not calls
    }
    received.incrementAndGet();
    long delay = delayMillis;
    Barrier b = barrier;
    if (delay <= 0 && b == null) {
      return;
    }
    maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
    try {
      if (b != null) {
        b.latch().countDown();
        b.latch().await(b.maxWaitMillis(), TimeUnit.MILLISECONDS);
      }
      if (delay > 0) {
        Thread.sleep(delay);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Fault(e);
    } finally {
      held.decrementAndGet();
    }
  }

  long requestsReceived() {
    return received.get();
  }

  int maxConcurrentlyHeld() {
    return maxHeld.get();
  }

  /** Sets the delay for requests arriving from now on and forgets the concurrency seen so far. */
  void delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
    delayMillis = delay.toMillis();
    maxHeld.set(0);
  }

  /**
   * Holds requests arriving from now on until {@code count} are held together (0: no barrier),
   * each at most {@code maxWait}; forgets the concurrency seen so far.
   */
  void holdUntilConcurrent(int count, Duration maxWait) {
    if (count < 0 || maxWait.isNegative()) {
      throw new IllegalArgumentException("count and maxWait must not be negative, got " + count + ", " + maxWait);
    }
    barrier = count == 0 ? null : new Barrier(new CountDownLatch(count), maxWait.toMillis());
    maxHeld.set(0);
  }
}
