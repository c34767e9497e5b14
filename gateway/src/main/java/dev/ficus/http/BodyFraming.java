package dev.ficus.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where an HTTP/1.1 response body ends in its connection's bytes (RFC 9112 §6.3): after
 * Content-Length bytes, at the last chunk, or when the upstream closes the connection. The
 * reader feeds it the bytes it has read; {@link #next} says how many of them are body data and
 * skips the framing around them, without copying. One per response; not thread-safe.
 */
public abstract class BodyFraming {
  /**
   * How many data bytes start at {@code in}'s position (consume them, then call
   * {@link #consumed}); 0 when more input is needed; -1 when the body has ended (bytes after it
   * stay in {@code in}).
   *
   * @throws IOException if the framing is malformed
   */
  public abstract int next(ByteBuffer in) throws IOException;

  /** {@code n} data bytes returned by {@link #next} were consumed. */
  public abstract void consumed(int n);

  /** Whether the connection closing ends the body (true) or cuts it short (false). */
  public boolean endsAtClose() {
    return false;
  }

  /**
   * The framing of the body that follows {@code head}, or null when the response has none (an
   * answer to HEAD, 204, 304). The caller must not reuse the connection when {@link #endsAtClose}.
   */
  public static BodyFraming of(ResponseHead head, boolean headRequest) {
    if (headRequest || head.status == 204 || head.status == 304) {
      return null;
    }
    if (head.transferEncoded) {
      return head.chunked ? new ChunkedDecoder() : new UntilClose();
    }
    return head.contentLength >= 0 ? new Length(head.contentLength) : new UntilClose();
  }

  private static final class Length extends BodyFraming {
    private long remaining;

    Length(long length) {
      remaining = length;
    }

    @Override
    public int next(ByteBuffer in) {
      return remaining == 0 ? -1 : (int) Math.min(remaining, in.remaining());
    }

    @Override
    public void consumed(int n) {
      remaining -= n;
    }
  }

  private static final class UntilClose extends BodyFraming {
    @Override
    public int next(ByteBuffer in) {
      return in.remaining();
    }

    @Override
    public void consumed(int n) {
      // the end is the connection's
    }

    @Override
    public boolean endsAtClose() {
      return true;
    }
  }
}
