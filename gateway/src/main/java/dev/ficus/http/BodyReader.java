package dev.ficus.http;

import dev.ficus.error.GatewayError;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;

/**
 * Reads the whole request body of a mapped route (SOAP, gRPC) into memory, within the gateway's
 * body limits: at most {@code limits.maxBodySize} bytes (413), no gap between reads longer than
 * {@code limits.bodyTimeout} and, once the body has been arriving for {@code BODY_RATE_GRACE}, an
 * average of at least {@code limits.minBodyRate} bytes a second (408 otherwise), and a buffer
 * taken from the gateway-wide {@link BodyBudget} (503 with {@code Retry-After} when it is full).
 * Each failure is answered as problem+json and closes the connection: the rest of the body is
 * not read.
 *
 * <p>Why not Undertow's {@code Receiver}: {@code receiveFullBytes} allocates the declared
 * {@code Content-Length} before a byte has arrived (400 clients declaring 1 MB and sending one
 * byte fill a 256 MB heap), and neither it nor {@code receivePartialBytes} ever gives up on a
 * body that stops or trickles. Here the buffer starts small and doubles as bytes arrive (never past
 * the declared length, so a body that keeps its word needs no final copy), and its capacity is
 * reserved from the budget before each growth.
 *
 * <p>Timers: a body that is not complete after the first read gets one {@link Deadlines} entry on
 * its IO thread, which checks both limits every {@link #tickMillis} (a quarter of
 * {@code bodyTimeout}, at most a second): a body is cut at most one tick after a limit passed.
 * Reads only note the time; they never touch the timer.
 *
 * <p>Budget full: the request is refused at once (503, {@code Retry-After: 1}) rather than parked
 * until memory frees up: a parked request would hold its connection and its partial buffer, which
 * is what a slow-body client wants, and waking parked requests across IO threads would need
 * hand-offs the IO threads otherwise never make.
 *
 * <p>Threads: immutable and thread-safe; {@link #read} runs on the exchange's IO thread (or is
 * moved there) and never blocks. Every path (complete, too large, timeout, budget full, client
 * gone) gives the body's reservation back exactly once.
 */
public final class BodyReader {
  /** Seconds a client is asked to wait when the budget is full: bodies are read in well under one. */
  static final int RETRY_AFTER_SECONDS = 1;
  /** The first buffer of a body: small, so a body that sends one byte holds about nothing. */
  static final int FIRST_BUFFER = 1024;
  private static final HttpString RETRY_AFTER = new HttpString("Retry-After");
  private static final byte[] EMPTY = new byte[0];

  /** What runs with a whole body, on the exchange's IO thread, as a handler would (it may dispatch). */
  public interface Then {
    void body(HttpServerExchange ex, byte[] body) throws Exception;
  }

  private final long maxBytes;
  private final long timeoutNanos;
  private final long minRate;
  private final long graceNanos;
  private final long tickMillis;
  private final BodyBudget budget;

  /**
   * @param maxBytes the largest body ({@code limits.maxBodySize}), at most {@code Integer.MAX_VALUE - 8}
   * @param timeout the longest gap between two reads ({@code limits.bodyTimeout}), positive
   * @param minRate bytes per second a body must average after {@code grace}; 0 turns the check off
   * @param budget the gateway's budget, shared by every route and configuration
   */
  public BodyReader(long maxBytes, Duration timeout, long minRate, Duration grace, BodyBudget budget) {
    this.maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 8);
    this.timeoutNanos = Math.max(1, timeout.toNanos());
    this.minRate = minRate;
    this.graceNanos = grace.toNanos();
    this.tickMillis = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
    this.budget = budget;
  }

  /** The largest body a route accepts ({@code limits.maxBodySize}). */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Answers 413 (and closes the connection) when the declared {@code Content-Length} is over the
   * limit, and says so; false leaves the exchange alone. For handlers that check this before other
   * checks of the request ({@link #read} checks it too).
   */
  public boolean refusedByDeclaredLength(HttpServerExchange ex) {
    long length = ex.getRequestContentLength();
    if (length <= maxBytes) {
      return false;
    }
    fail(ex, GatewayError.of(GatewayError.Code.PAYLOAD_TOO_LARGE,
        "The body has " + length + " bytes; this route accepts at most " + maxBytes));
    return true;
  }

  /**
   * Reads {@code ex}'s body and runs {@code then} with it, or answers the exchange with the
   * problem that stopped it ({@code then} is not run then). Call it from the exchange's handler.
   */
  public void read(HttpServerExchange ex, Then then) {
    if (refusedByDeclaredLength(ex)) {
      return;
    }
    if (!ex.isInIoThread()) {
      ex.dispatch(ex.getIoThread(), () -> start(ex, then, false));
      return;
    }
    start(ex, then, true);
  }

  private void start(HttpServerExchange ex, Then then, boolean inHandlerCall) {
    if (ex.isRequestComplete()) {
      finish(ex, then, EMPTY, inHandlerCall);
      return;
    }
    StreamSourceChannel ch = ex.getRequestChannel();
    if (ch == null) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.INTERNAL, "The request body was already taken"));
      return;
    }
    new Reading(ex, ch, then, inHandlerCall).begin();
  }

  private static void finish(HttpServerExchange ex, Then then, byte[] body, boolean inHandlerCall) {
    if (inHandlerCall) {
      try {
        then.body(ex, body);
      } catch (Exception e) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
    } else {
      // As Undertow's Receiver: the callback runs as a handler, so that an exchange it neither
      // ends nor dispatches is ended, and its exceptions end as a 500.
      Connectors.executeRootHandler(e -> then.body(e, body), ex);
    }
  }

  /** Answers {@code error} and closes the connection after it: the rest of the body is not read. */
  private static void fail(HttpServerExchange ex, GatewayError error) {
    ex.setPersistent(false);
    if (error.code() == GatewayError.Code.OVERLOADED) {
      ex.getResponseHeaders().put(RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    Responses.problem(ex, error);
  }

  /** One body being read. Its IO thread's only. */
  private final class Reading extends Deadlines.Entry implements ChannelListener<StreamSourceChannel> {
    private final HttpServerExchange ex;
    private final StreamSourceChannel ch;
    private final Then then;
    private final long declared;
    private final long started = System.nanoTime();
    private long lastRead = started;
    private boolean inHandlerCall;
    private byte[] buf;
    private int size;
    private long reserved;
    private boolean ended;

    Reading(HttpServerExchange ex, StreamSourceChannel ch, Then then, boolean inHandlerCall) {
      this.ex = ex;
      this.ch = ch;
      this.then = then;
      this.declared = ex.getRequestContentLength();
      this.inHandlerCall = inHandlerCall;
    }

    void begin() {
      handleEvent(ch);
      inHandlerCall = false;
      if (!ended) {
        Deadlines.add(ex.getIoThread(), this, tickMillis);
      }
    }

    @Override
    public void handleEvent(StreamSourceChannel channel) {
      if (ended) {
        return;
      }
      try (PooledByteBuffer pooled = ex.getConnection().getByteBufferPool().allocate()) {
        ByteBuffer b = pooled.getBuffer();
        while (true) {
          b.clear();
          int n = ch.read(b);
          if (n == -1) {
            complete();
            return;
          }
          if (n == 0) {
            ch.getReadSetter().set(this);
            ch.resumeReads();
            return;
          }
          lastRead = System.nanoTime();
          if (size + (long) n > maxBytes) {
            end(GatewayError.of(GatewayError.Code.PAYLOAD_TOO_LARGE,
                "The body is larger than " + maxBytes + " bytes, the limit of this route"));
            return;
          }
          if (!fits(size + n)) {
            end(GatewayError.of(GatewayError.Code.OVERLOADED,
                "The gateway is reading as many request bodies as its memory for them allows; try again shortly"));
            return;
          }
          b.flip();
          b.get(buf, size, n);
          size += n;
        }
      } catch (IOException e) {
        clientGone();
      }
    }

    /** Makes room for {@code needed} bytes, doubling the buffer within the budget; false when it is full. */
    private boolean fits(int needed) {
      int cap = buf == null ? 0 : buf.length;
      if (needed <= cap) {
        return true;
      }
      long grown = Math.max(needed, cap == 0 ? FIRST_BUFFER : 2L * cap);
      // A body cannot be longer than it declared (Undertow's framing stops it there), nor than the limit.
      grown = Math.min(grown, declared > 0 ? declared : maxBytes);
      grown = Math.max(grown, needed);
      if (!budget.reserve(grown - cap)) {
        return false;
      }
      reserved += grown - cap;
      buf = buf == null ? new byte[(int) grown] : Arrays.copyOf(buf, (int) grown);
      return true;
    }

    private void complete() {
      if (declared > 0 && size < declared) {
        // The stream ended short of its declared length: the client left; never a complete-looking body.
        clientGone();
        return;
      }
      byte[] body = buf == null ? EMPTY : size == buf.length ? buf : Arrays.copyOf(buf, size);
      stop();
      finish(ex, then, body, inHandlerCall);
    }

    /** The limits' check, every tick while the body is being read. */
    @Override
    protected void expired() {
      if (ended) {
        return;
      }
      if (!ex.getConnection().isOpen()) {
        clientGone();
        return;
      }
      long now = System.nanoTime();
      if (now - lastRead >= timeoutNanos) {
        end(GatewayError.of(GatewayError.Code.REQUEST_TIMEOUT, "No byte of the request body arrived for "
            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (limits.bodyTimeout)"));
        return;
      }
      long elapsed = now - started;
      if (minRate > 0 && elapsed >= graceNanos && size < minRate * (elapsed / 1e9)) {
        end(GatewayError.of(GatewayError.Code.REQUEST_TIMEOUT, "The request body arrived at "
            + Math.round(size / (elapsed / 1e9)) + " bytes/s, below the " + minRate + " bytes/s allowed (limits.minBodyRate)"));
        return;
      }
      Deadlines.add(ex.getIoThread(), this, tickMillis);
    }

    /** Stops reading and gives the reservation back; idempotent. */
    private void stop() {
      ended = true;
      cancelDeadline();
      budget.release(reserved);
      reserved = 0;
      buf = null;
      ch.getReadSetter().set(null);
      ch.suspendReads();
    }

    private void end(GatewayError error) {
      stop();
      fail(ex, error);
    }

    private void clientGone() {
      stop();
      ex.setPersistent(false);
      IoUtils.safeClose(ex.getConnection());
      ex.endExchange();
    }
  }
}
