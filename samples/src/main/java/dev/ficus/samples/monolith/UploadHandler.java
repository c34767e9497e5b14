package dev.ficus.samples.monolith;

import dev.ficus.samples.http.internal.Json;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;

/**
 * {@code POST /files}: reads the body as it arrives, one pooled buffer at a time, and answers
 * {@code {"bytes":N,"sha256":"<hex>"}} at its end. Nothing is kept but the running digest, so
 * any size streams through (fixed length or chunked, with or without
 * {@code Expect: 100-continue}). Reads are non-blocking, on the IO thread; a broken upload
 * closes the connection.
 */
final class UploadHandler implements HttpHandler {

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    StreamSourceChannel channel = exchange.getRequestChannel();
    channel.getReadSetter().set(new Digesting(exchange));
    channel.resumeReads();
  }

  /** Drains the request channel whenever it is readable. */
  private static final class Digesting implements ChannelListener<StreamSourceChannel> {

    private final HttpServerExchange exchange;
    private final MessageDigest sha256 = newSha256();
    private long bytes;

    Digesting(HttpServerExchange exchange) {
      this.exchange = exchange;
    }

    @Override
    public void handleEvent(StreamSourceChannel channel) {
      try (PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate()) {
        ByteBuffer buffer = pooled.getBuffer();
        while (true) {
          buffer.clear();
          int read = channel.read(buffer);
          if (read == 0) {
            return;
          }
          if (read == -1) {
            channel.suspendReads();
            Connectors.executeRootHandler(this::answer, exchange);
            return;
          }
          buffer.flip();
          sha256.update(buffer);
          bytes += read;
        }
      } catch (IOException e) {
        IoUtils.safeClose(exchange.getConnection());
      }
    }

    private void answer(HttpServerExchange done) {
      Json.send(done, StatusCodes.OK, Json.object()
          .put("bytes", bytes)
          .put("sha256", HexFormat.of().formatHex(sha256.digest())));
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
