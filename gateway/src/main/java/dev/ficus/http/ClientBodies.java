package dev.ficus.http;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * Writing a request body and reading a bounded answer over Undertow's client channels, without
 * blocking: what the shadow client and the direct gRPC client share. Both run on the channel's
 * IO thread and resume themselves on write or read readiness.
 */
public final class ClientBodies {
  private ClientBodies() {}

  /** How a read ends: the whole body, a body over the limit, or a failure. */
  public interface Reading {
    void complete(byte[] body);

    void tooLarge();

    void failed(IOException e);
  }

  /** Writes {@code body} to {@code ch}, then ends the request; {@code failed} on an I/O error. */
  public static void write(StreamSinkChannel ch, ByteBuffer body, Consumer<IOException> failed) {
    new Writer(body, failed).handleEvent(ch);
  }

  /** Reads {@code ch} to its end, at most {@code limit} bytes, with buffers from {@code buffers}. */
  public static void read(StreamSourceChannel ch, ByteBufferPool buffers, int limit, Reading then) {
    new Reader(buffers, limit, then).handleEvent(ch);
  }

  private static final class Writer implements ChannelListener<StreamSinkChannel> {
    private final ByteBuffer body;
    private final Consumer<IOException> failed;

    Writer(ByteBuffer body, Consumer<IOException> failed) {
      this.body = body;
      this.failed = failed;
    }

    @Override
    public void handleEvent(StreamSinkChannel ch) {
      try {
        while (body.hasRemaining()) {
          if (ch.write(body) == 0) {
            ch.getWriteSetter().set(this);
            ch.resumeWrites();
            return;
          }
        }
        ch.shutdownWrites();
        if (!ch.flush()) {
          ch.getWriteSetter().set(ChannelListeners.flushingChannelListener(null, (c, e) -> failed.accept(e)));
          ch.resumeWrites();
          return;
        }
        ch.suspendWrites();
      } catch (IOException e) {
        failed.accept(e);
      }
    }
  }

  private static final class Reader implements ChannelListener<StreamSourceChannel> {
    private final ByteBufferPool buffers;
    private final int limit;
    private final Reading then;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

    Reader(ByteBufferPool buffers, int limit, Reading then) {
      this.buffers = buffers;
      this.limit = limit;
      this.then = then;
    }

    @Override
    public void handleEvent(StreamSourceChannel ch) {
      try (PooledByteBuffer pooled = buffers.allocate()) {
        ByteBuffer buf = pooled.getBuffer();
        while (true) {
          buf.clear();
          int n = ch.read(buf);
          if (n == -1) {
            ch.suspendReads();
            then.complete(out.toByteArray());
            return;
          }
          if (n == 0) {
            ch.getReadSetter().set(this);
            ch.resumeReads();
            return;
          }
          if (out.size() + n > limit) {
            ch.suspendReads();
            then.tooLarge();
            return;
          }
          buf.flip();
          if (buf.hasArray()) {
            out.write(buf.array(), buf.arrayOffset() + buf.position(), n);
          } else {
            byte[] chunk = new byte[n];
            buf.get(chunk);
            out.write(chunk, 0, n);
          }
        }
      } catch (IOException e) {
        then.failed(e);
      }
    }
  }
}
