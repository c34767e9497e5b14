package dev.ficus.migration;

import io.undertow.server.HttpServerExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * delayed or changed. Used by shadowing to compare answers without buffering the client's
 * exchange. One instance per body; written by the exchange's IO thread, read after it ends.
 */
final class BodyCapture {
  private final int limit;
  private ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
  private volatile boolean overflowed;

  BodyCapture(int limit) {
    this.limit = limit;
  }

  boolean overflowed() {
    return overflowed;
  }

  byte[] bytes() {
    return overflowed ? new byte[0] : buf.toByteArray();
  }

  private void copy(ByteBuffer src, int from, int count) {
    if (overflowed || count <= 0) {
      return;
    }
    if (buf.size() + count > limit) {
      overflowed = true;
      buf = null;
      return;
    }
    ByteBuffer dup = src.duplicate();
    dup.position(from);
    dup.limit(from + count);
    byte[] tmp = new byte[count];
    dup.get(tmp);
    buf.write(tmp, 0, count);
  }

  /** Wraps the response conduit of {@code ex}. */
  void captureResponse(HttpServerExchange ex) {
    ex.addResponseWrapper((factory, exchange) -> new Sink(factory.create()));
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
