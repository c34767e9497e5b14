package dev.ficus.grpc;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Writes a streamed response chunk by chunk with Undertow's asynchronous sender, one write in
 * flight at a time: chunks offered during a write wait in order. After each chunk its
 * {@code then} action runs (the handler asks gRPC for the next message there, so a slow HTTP
 * client slows the backend down instead of filling memory). {@link #finish} ends the exchange
 * after the last chunk. May be called from any thread once the exchange is dispatched;
 * callbacks run on the connection's IO thread. A failed write ends the exchange and runs
 * {@code onBroken}.
 */
final class ChunkWriter {
  private record Chunk(ByteBuffer data, Runnable then, boolean last) {}

  private final HttpServerExchange ex;
  private final Runnable onBroken;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private boolean writing;
  private boolean done;

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
    synchronized (this) {
      if (done) {
        return;
      }
      if (c.last()) {
        done = true;
      }
      if (writing) {
        queue.add(c);
        return;
      }
      writing = true;
    }
    send(c);
  }

  private void send(Chunk c) {
    ex.getResponseSender().send(c.data(), new IoCallback() {
      @Override
      public void onComplete(HttpServerExchange exchange, Sender sender) {
        if (c.last()) {
          exchange.endExchange();
          return;
        }
        if (c.then() != null) {
          c.then().run();
        }
        Chunk next;
        synchronized (ChunkWriter.this) {
          next = queue.poll();
          if (next == null) {
            writing = false;
            return;
          }
        }
        send(next);
      }

      @Override
      public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
        synchronized (ChunkWriter.this) {
          done = true;
          queue.clear();
        }
        onBroken.run();
        exchange.endExchange();
      }
    });
  }
}
