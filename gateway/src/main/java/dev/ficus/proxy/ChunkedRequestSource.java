package dev.ficus.proxy;

import dev.ficus.http.ChunkedDecoder;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.StreamSourceConduit;

/**
 * A chunked request body (RFC 9112 §7.1) read strictly, in place of Undertow's own decoder on an
 * HTTP/1.1 client connection.
 *
 * <p>Why: Undertow's decoder takes any byte that is not a hex digit as the end of a chunk size,
 * so {@code zz} or {@code 0x5} read as the last chunk, 17 hex digits overflow, and a connection
 * that ends mid-body closes the client's connection from inside the read. Passed on, such a
 * body reaches the upstream as a complete (often empty) request. This conduit decodes with
 * {@link ChunkedDecoder} (the decoder the gateway applies to upstream answers), throws on any
 * malformed framing and on an end of stream before the last chunk, and leaves the connection
 * to its caller, which can still answer 400. Bytes after the body (a pipelined request) go back
 * to the connection; the request is marked complete when its last chunk and trailers are read.
 *
 * <p>One per request; used on the connection's IO thread only.
 */
final class ChunkedRequestSource extends AbstractStreamSourceConduit<StreamSourceConduit> {
  private final HttpServerExchange ex;
  private final HttpServerConnection connection;
  private final ChunkedDecoder decoder = new ChunkedDecoder();
  /** Bytes read from the connection and not yet decoded; null when none are held. */
  private PooledByteBuffer raw;
  private boolean finished;

  private ChunkedRequestSource(StreamSourceConduit next, HttpServerExchange ex, HttpServerConnection connection) {
    super(next);
    this.ex = ex;
    this.connection = connection;
  }

  /**
   * Puts a strict decoder under {@code ex}'s request channel, reading the connection's bytes
   * (those Undertow buffered with the head first). Call before {@code ex.getRequestChannel()}.
   */
  static void install(HttpServerExchange ex, HttpServerConnection c) {
    c.getChannel().getSourceChannel().setConduit(new ChunkedRequestSource(
        new io.undertow.conduits.ReadDataStreamSourceConduit(c.getOriginalSourceConduit(), c), ex, c));
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (finished) {
      return -1;
    }
    while (true) {
      if (raw == null) {
        raw = connection.getByteBufferPool().allocate();
        raw.getBuffer().clear().flip();
      }
      ByteBuffer b = raw.getBuffer();
      if (!b.hasRemaining()) {
        b.clear();
        int r;
        try {
          r = next.read(b);
        } finally {
          b.flip();
        }
        if (r < 0) {
          throw new IOException("the request body ended before its last chunk");
        }
        if (r == 0) {
          return 0;
        }
      }
      int n = decoder.next(b);
      if (n < 0) {
        end();
        return -1;
      }
      if (n > 0) {
        int k = Math.min(n, dst.remaining());
        int lim = b.limit();
        b.limit(b.position() + k);
        dst.put(b);
        b.limit(lim);
        decoder.consumed(k);
        return k;
      }
    }
  }

  /** The last chunk and the trailers are read: the rest belongs to the next request. */
  private void end() {
    finished = true;
    PooledByteBuffer left = raw;
    raw = null;
    if (left.getBuffer().hasRemaining()) {
      connection.ungetRequestBytes(left);
    } else {
      left.close();
    }
    Connectors.terminateRequest(ex);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
    for (int i = offs; i < offs + len; i++) {
      if (dsts[i].hasRemaining()) {
        return read(dsts[i]);
      }
    }
    return 0;
  }

  @Override
  public long transferTo(long position, long count, FileChannel target) throws IOException {
    return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
  }

  @Override
  public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
    return IoUtils.transfer(new ConduitReadableByteChannel(this), count, throughBuffer, target);
  }

  @Override
  public void resumeReads() {
    if (raw != null && raw.getBuffer().hasRemaining()) {
      // Undecoded bytes are here already: the socket may have nothing more to say.
      next.wakeupReads();
    } else {
      next.resumeReads();
    }
  }

  @Override
  public void terminateReads() throws IOException {
    release();
    if (!finished) {
      // The body was not read to its end: the connection is out of step and must not be reused.
      ex.setPersistent(false);
      next.terminateReads();
    }
  }

  /** Frees the buffered bytes (the exchange is over or abandoned). */
  void release() {
    if (raw != null) {
      raw.close();
      raw = null;
    }
  }
}
