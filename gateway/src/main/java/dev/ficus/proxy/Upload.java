package dev.ficus.proxy;

import dev.ficus.error.GatewayError;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * The body of one request on the lean pass-through ({@link Http1Exchange}), streamed from the
 * client to the upstream as it arrives and checked on the way, so that the upstream never takes a
 * damaged body for a complete one.
 *
 * <p>Framing is the gateway's: a body with a Content-Length is counted and passed on byte for
 * byte (an end before the count is an error); a chunked body is decoded strictly
 * ({@link ChunkedRequestSource}) and chunked again, one chunk per read, so the upstream sees
 * only the gateway's framing whatever extensions or spacing the client used. The last chunk is
 * written only after the client's last chunk has been read. On any error the owner is told and
 * resets the upstream connection.
 *
 * <p>Pace: {@code bodyTimeout} bounds the gap between two reads, and once the body has been
 * arriving for {@code grace}, it must average {@code minRate} bytes a second (time spent waiting
 * for a slow upstream to take the bytes does not count against the client). One XNIO timer per
 * upload, set again only when it fires.
 *
 * <p>Memory: one pooled buffer, whatever the body's size; the client's reads are suspended while
 * the upstream lags. Everything runs on the exchange's IO thread.
 */
final class Upload implements ChannelListener<StreamSourceChannel>, Runnable {
  /** What the upload tells the exchange that owns it; called on its IO thread. */
  interface Owner {
    /** The whole body went out, last chunk included. */
    void uploaded();

    /** The client's body is damaged, cut short or too slow: {@code error} is what to answer. */
    void uploadFailed(GatewayError error);

    /** Writing to the upstream failed (it may have answered early and closed). */
    void uploadRefused(IOException e);
  }

  /** Limits on the pace of a body. */
  record Pace(long bodyTimeoutNanos, long minRate, long graceNanos) {}

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final long MIN_TIMER_MILLIS = 10;

  private final HttpServerExchange ex;
  private final Owner owner;
  /** The declared length, or -1 for a chunked body. */
  private final long length;
  private final Pace pace;
  private PooledByteBuffer pooled;
  private ByteBuffer data;
  private final ByteBuffer sizeLine = ByteBuffer.allocate(18);
  private final ByteBuffer crlf = ByteBuffer.wrap(CRLF);
  private ByteBuffer[] pending;
  private StreamSourceChannel in;
  private ChunkedRequestSource chunkedSource;
  private StreamSinkChannel out;
  private long sent;
  private boolean lastWritten;
  private boolean complete;
  private boolean stopped;
  /** The client waits for {@code 100 Continue} before it sends the body. */
  private final boolean sendContinue;

  private long startNanos;
  private long lastReadNanos;
  /** Time spent waiting for the upstream to take bytes: not the client's. */
  private long pausedNanos;
  private long pausedSince = -1;
  private XnioExecutor.Key timer;

  Upload(HttpServerExchange ex, Owner owner, long length, Pace pace) {
    this.ex = ex;
    this.owner = owner;
    this.length = length;
    this.pace = pace;
    // The gateway answers the 100-continue itself once the upstream is ready (as nginx does):
    // the upstream never sees the Expect.
    this.sendContinue = HttpContinue.requiresContinueResponse(ex);
    ex.getRequestHeaders().remove(Headers.EXPECT);
  }

  boolean chunked() {
    return length < 0;
  }

  /** Whether the whole body, last chunk included, has been written to the upstream. */
  boolean complete() {
    return complete;
  }

  /**
   * Starts reading the client's body into {@code upstream}, whose request head has been sent:
   * first a {@code 100 Continue} when the client waits for one (the gateway answers it, as
   * nginx does, rather than the upstream).
   */
  void start(StreamSinkChannel upstream) {
    out = upstream;
    if (chunked() && ex.getConnection() instanceof HttpServerConnection c) {
      ChunkedRequestSource.install(ex, c);
      chunkedSource = (ChunkedRequestSource) c.getChannel().getSourceChannel().getConduit();
    }
    in = ex.getRequestChannel();
    if (in == null) {
      fail(GatewayError.of(GatewayError.Code.INTERNAL, "the request body was already read"));
      return;
    }
    pooled = ex.getConnection().getByteBufferPool().allocate();
    data = pooled.getBuffer();
    startNanos = lastReadNanos = System.nanoTime();
    arm(Math.min(pace.bodyTimeoutNanos, pace.minRate > 0 ? pace.graceNanos : Long.MAX_VALUE));
    if (sendContinue && !sendContinue()) {
      return;
    }
    handleEvent(in);
  }

  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * Writes {@code 100 Continue} straight to the client's socket: nothing of this exchange's answer
   * has been written yet, and 25 bytes fit any socket buffer that has sent the previous answer.
   * (Undertow's out-of-band sender waits for a write readiness that the exchange's dispatch does
   * not pass on.) False, having failed the upload, if the client is gone.
   */
  private boolean sendContinue() {
    if (!(ex.getConnection() instanceof HttpServerConnection c)) {
      return true;
    }
    ByteBuffer b = ByteBuffer.wrap(CONTINUE);
    try {
      c.getOriginalSinkConduit().write(b);
      if (b.hasRemaining() || !c.getOriginalSinkConduit().flush()) {
        throw new IOException("the client does not take the 100 Continue");
      }
    } catch (IOException e) {
      fail(GatewayError.of(GatewayError.Code.MALFORMED_BODY, "The client went away before sending its body: " + e.getMessage()));
      return false;
    }
    HttpContinue.markContinueResponseSent(ex);
    return true;
  }

  /** The client has bytes (or the end) for us: move them on until one side would block. */
  @Override
  public void handleEvent(StreamSourceChannel channel) {
    if (stopped) {
      return;
    }
    try {
      while (true) {
        if (pending != null && !flush()) {
          return;
        }
        if (lastWritten) {
          finish();
          return;
        }
        if (length >= 0 && sent == length) {
          lastWritten = true;
          continue;
        }
        data.clear();
        int r;
        try {
          r = in.read(data);
        } finally {
          data.flip();
        }
        if (r == 0) {
          in.getReadSetter().set(this);
          in.resumeReads();
          return;
        }
        if (r < 0) {
          if (length >= 0) {
            throw new IOException("the request body ended after " + sent + " of its " + length + " bytes");
          }
          pending = new ByteBuffer[] {ByteBuffer.wrap(LAST_CHUNK)};
          lastWritten = true;
          continue;
        }
        lastReadNanos = System.nanoTime();
        sent += r;
        if (chunked()) {
          sizeLine.clear();
          sizeLine.put(Long.toHexString(r).getBytes(StandardCharsets.US_ASCII)).put(CRLF).flip();
          crlf.clear();
          pending = new ByteBuffer[] {sizeLine, data, crlf};
        } else {
          pending = new ByteBuffer[] {data};
        }
      }
    } catch (IOException e) {
      fail(GatewayError.of(GatewayError.Code.MALFORMED_BODY, "The request body is incomplete or malformed: " + e.getMessage()));
    }
  }

  /** Writes what is pending; false (the client's reads suspended, the clock paused) when the upstream lags. */
  private boolean flush() {
    try {
      while (remaining(pending)) {
        if (out.write(pending, 0, pending.length) == 0) {
          in.suspendReads();
          pausedSince = System.nanoTime();
          out.getWriteSetter().set(ch -> {
            ch.suspendWrites();
            if (pausedSince >= 0) {
              pausedNanos += System.nanoTime() - pausedSince;
              pausedSince = -1;
            }
            handleEvent(in);
          });
          out.resumeWrites();
          return false;
        }
      }
    } catch (IOException e) {
      stop();
      owner.uploadRefused(e);
      return false;
    }
    pending = null;
    return true;
  }

  private static boolean remaining(ByteBuffer[] b) {
    for (ByteBuffer x : b) {
      if (x.hasRemaining()) {
        return true;
      }
    }
    return false;
  }

  private void finish() {
    complete = true;
    stop();
    owner.uploaded();
  }

  private void fail(GatewayError error) {
    if (stopped) {
      return;
    }
    stop();
    owner.uploadFailed(error);
  }

  /** Stops reading and timing, and gives the buffer back (idempotent). */
  void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (timer != null) {
      timer.remove();
      timer = null;
    }
    if (in != null) {
      in.suspendReads();
      in.getReadSetter().set(null);
    }
    if (chunkedSource != null) {
      chunkedSource.release();
    }
    if (pooled != null) {
      pooled.close();
      pooled = null;
      data = null;
    }
  }

  // ---- pace ---------------------------------------------------------------------------------

  private void arm(long nanos) {
    timer = ex.getIoThread().executeAfter(this, Math.max(MIN_TIMER_MILLIS, TimeUnit.NANOSECONDS.toMillis(nanos) + 1),
        TimeUnit.MILLISECONDS);
  }

  /** The timer: is the body too slow? Otherwise, when to look again. */
  @Override
  public void run() {
    timer = null;
    if (stopped || complete) {
      return;
    }
    long now = System.nanoTime();
    if (pausedSince >= 0) {
      arm(pace.bodyTimeoutNanos);
      return;
    }
    long gapDue = lastReadNanos + pace.bodyTimeoutNanos;
    if (now - gapDue >= 0) {
      fail(GatewayError.of(GatewayError.Code.REQUEST_TIMEOUT, "No byte of the request body arrived for "
          + TimeUnit.NANOSECONDS.toMillis(pace.bodyTimeoutNanos) + " ms (limits.bodyTimeout)"));
      return;
    }
    long due = gapDue;
    if (pace.minRate > 0) {
      long active = now - startNanos - pausedNanos;
      // The moment the average falls below minRate, if nothing more arrives.
      long rateDue = startNanos + pausedNanos
          + Math.max(pace.graceNanos, (long) (sent * 1e9 / pace.minRate));
      if (active >= pace.graceNanos && now - rateDue >= 0) {
        fail(GatewayError.of(GatewayError.Code.REQUEST_TIMEOUT, "The request body arrived at "
            + (long) (sent * 1e9 / Math.max(1, active)) + " bytes/s, below limits.minBodyRate (" + pace.minRate + ")"));
        return;
      }
      due = Math.min(due, rateDue);
    }
    arm(due - now);
  }
}
