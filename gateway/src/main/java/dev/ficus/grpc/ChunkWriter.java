package dev.ficus.grpc;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Writes a streamed response chunk by chunk and flushes each one, so that a client sees every
 * message as soon as the backend sends it (Undertow's sender would keep small chunks in its
 * buffer). All channel work happens on the connection's IO thread: {@link #write} and
 * {@link #finish} may be called from any thread and only queue the chunk there. After a chunk is
 * flushed its {@code then} action runs (the handler asks gRPC for the next message there, so a
 * slow HTTP client slows the backend down instead of filling memory). {@link #finish} ends the
 * exchange after the last chunk; a failed write closes the connection and runs {@code onBroken}.
 */
final class ChunkWriter {
  private record Chunk(ByteBuffer data, Runnable then, boolean last) {}

  private final HttpServerExchange ex;
  private final Runnable onBroken;
  // IO thread only:
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private StreamSinkChannel channel;
  private Chunk current;
  private boolean waiting;
  private boolean ended;

  ChunkWriter(HttpServerExchange ex, Runnable onBroken) {
    this.ex = ex;
    this.onBroken = onBroken;
  }

  void write(byte[] data, Runnable then) {
    offer(new Chunk(ByteBuffer.wrap(data), then, false));
  }

  void finish(byte[] data) {
    offer(new Chunk(ByteBuffer.wrap(data), null, true));
  }

  private void offer(Chunk c) {
    ex.getIoThread().execute(() -> {
      if (ended) {
        return;
      }
      queue.add(c);
      if (!waiting) {
        pump();
      }
    });
  }

  /** Writes and flushes queued chunks until the queue is empty or the socket is full. IO thread. */
  private void pump() {
    try {
      if (channel == null) {
        channel = ex.getResponseChannel();
      }
      while (true) {
        if (current == null) {
          current = queue.poll();
          if (current == null) {
            return;
          }
        }
        while (current.data().hasRemaining()) {
          if (channel.write(current.data()) == 0) {
            await();
            return;
          }
        }
        if (current.last()) {
          channel.shutdownWrites();
        }
        if (!channel.flush()) {
          await();
          return;
        }
        Chunk done = current;
        current = null;
        if (done.last()) {
          ended = true;
          ex.endExchange();
          return;
        }
        if (done.then() != null) {
          done.then().run();
        }
      }
    } catch (IOException | RuntimeException e) {
      ended = true;
      queue.clear();
      onBroken.run();
      IoUtils.safeClose(channel);
      ex.endExchange();
    }
  }

  /** Resumes {@link #pump} when the socket can take more. */
  private void await() {
    waiting = true;
    channel.getWriteSetter().set(ch -> {
      ch.suspendWrites();
      waiting = false;
      pump();
    });
    channel.resumeWrites();
  }
}
