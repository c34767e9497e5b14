package dev.ficus.migration;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitWritableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Keeps a copy of the bytes of a request or response body as they stream past, up to a limit
 * (past it the copy is abandoned and {@link #overflowed()} says so). The stream itself is not
 * delayed or changed, and none of its buffers is kept: the bytes are copied out of them into an
 * array of the capture's own, whose every growth is first reserved from the copy's
 * {@link ShadowBudget.Copy} (refused: the capture stops and holds nothing). A body whose length
 * is announced is sized once, before its first byte. Used by shadowing to compare answers
 * without buffering the client's exchange. One instance per body; written by the thread reading
 * or writing the body, read after the exchange ends.
 */
final class BodyCapture {
  private static final byte[] EMPTY = new byte[0];
  /** The first array of a body of unknown length; it doubles from there. */
  private static final int FIRST = 8 * 1024;

  private final int limit;
  private final ShadowBudget.Copy budget;
  private byte[] data = EMPTY;
  private int size;
  private volatile boolean overflowed;
  private volatile boolean stopped;
  private long expected = -1;
  private volatile boolean ended;

  BodyCapture(int limit, ShadowBudget.Copy budget) {
    this.limit = limit;
    this.budget = budget;
  }

  /** The body was larger than the limit: not comparable. */
  boolean overflowed() {
    return overflowed;
  }

  /**
   * Sizes the capture for a body of {@code length} bytes (-1: unknown), reserving it now; false
   * when it is over the limit ({@link #overflowed()}) or the budget refused it.
   */
  boolean expect(long length) {
    expected = length;
    if (length > limit) {
      overflowed = true;
      stop();
      return false;
    }
    return length <= data.length || grow((int) length, true);
  }

  /**
   * True when the whole request body went past: as many bytes as announced, or (length unknown)
   * its end was read. False when its client left in the middle, or nobody read it to its end.
   */
  boolean complete() {
    return expected >= 0 ? size == expected && !stopped : ended;
  }

  /**
   * The bytes captured (an array of exactly their length), handed over: the capture forgets them,
   * so that an exchange its connection keeps after it has ended holds nothing of the copy. Empty
   * once the capture stopped. Called once, after the body has ended.
   */
  byte[] take() {
    byte[] b = stopped ? EMPTY : data.length == size ? data : Arrays.copyOf(data, size);
    data = EMPTY;
    size = 0;
    return b;
  }

  private void copy(ByteBuffer src, int from, int count) {
    if (stopped || count <= 0) {
      return;
    }
    if (size + count > limit) {
      overflowed = true;
      stop();
      return;
    }
    if (size + count > data.length && !grow(size + count, false)) {
      return;
    }
    src.get(from, data, size, count);
    size += count;
  }

  /**
   * A larger array, its growth reserved first: {@code needed} bytes when {@code exact} (an
   * announced length), else at least that, doubling.
   */
  private boolean grow(int needed, boolean exact) {
    int capacity = exact ? needed : (int) Math.min(limit, Math.max(needed, Math.max(FIRST, 2L * data.length)));
    if (!budget.reserve(capacity - data.length)) {
      stop();
      return false;
    }
    data = Arrays.copyOf(data, capacity);
    return true;
  }

  /** Nothing more is captured and nothing is held: the copy will not be sent. */
  private void stop() {
    stopped = true;
    data = EMPTY;
    size = 0;
    budget.close();
  }

  /** Wraps the response conduit of {@code ex}. */
  void captureResponse(HttpServerExchange ex) {
    ex.addResponseWrapper((factory, exchange) -> {
      // The head is final when the conduit is made: an announced length sizes the copy at once.
      expect(exchange.getResponseContentLength());
      return new Sink(factory.create());
    });
  }

  /** Wraps the request conduit of {@code ex}. */
  void captureRequest(HttpServerExchange ex) {
    ex.addRequestWrapper((factory, exchange) -> new Source(factory.create()));
  }

  private final class Sink extends AbstractStreamSinkConduit<StreamSinkConduit> {
    Sink(StreamSinkConduit next) {
      super(next);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int pos = src.position();
      int n = next.write(src);
      copy(src, pos, n);
      return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
      int[] pos = new int[len];
      for (int i = 0; i < len; i++) {
        pos[i] = srcs[offs + i].position();
      }
      long n = next.write(srcs, offs, len);
      for (int i = 0; i < len; i++) {
        ByteBuffer b = srcs[offs + i];
        copy(b, pos[i], b.position() - pos[i]);
      }
      return n;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
      int pos = src.position();
      int n = next.writeFinal(src);
      copy(src, pos, n);
      return n;
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
      int[] pos = new int[len];
      for (int i = 0; i < len; i++) {
        pos[i] = srcs[offs + i].position();
      }
      long n = next.writeFinal(srcs, offs, len);
      for (int i = 0; i < len; i++) {
        ByteBuffer b = srcs[offs + i];
        copy(b, pos[i], b.position() - pos[i]);
      }
      return n;
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
      return src.transferTo(position, count, new ConduitWritableByteChannel(this));
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
      return Conduits.transfer(source, count, throughBuffer, this);
    }
  }

  private final class Source extends AbstractStreamSourceConduit<StreamSourceConduit> {
    Source(StreamSourceConduit next) {
      super(next);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      int pos = dst.position();
      int n = next.read(dst);
      if (n > 0) {
        copy(dst, pos, n);
      } else if (n < 0) {
        ended = true;
      }
      return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
      int[] pos = new int[len];
      for (int i = 0; i < len; i++) {
        pos[i] = dsts[offs + i].position();
      }
      long n = next.read(dsts, offs, len);
      if (n < 0) {
        ended = true;
        return n;
      }
      for (int i = 0; i < len; i++) {
        ByteBuffer b = dsts[offs + i];
        copy(b, pos[i], b.position() - pos[i]);
      }
      return n;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
      return target.transferFrom(new org.xnio.conduits.ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, org.xnio.channels.StreamSinkChannel target)
        throws IOException {
      return Conduits.transfer(this, count, throughBuffer, target);
    }
  }
}
