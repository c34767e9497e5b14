package dev.ficus.samples.monolith;

import dev.ficus.samples.http.internal.ErrorJson;
import dev.ficus.samples.http.internal.Requests;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * {@code GET /files/{size}}: streams {@code size} bytes with {@code Content-Length}, where
 * byte {@code i} is {@code i % 251}, so a client can check them without a copy. {@code size}
 * is a byte count, optionally with a binary suffix {@code k}, {@code m} or {@code g}
 * ({@code /files/200m}); up to 1 TiB, else 400.
 *
 * <p>The bytes come from one shared read-only buffer of whole periods, written as the socket
 * takes them: nothing is generated ahead, so any size streams in constant memory. Writes are
 * non-blocking, on the IO thread; a broken download closes the connection.
 */
final class DownloadHandler implements HttpHandler {

  static final long MAX_SIZE = 1L << 40;
  static final int PERIOD = 251;

  /** 256 whole periods, so every chunk starts at phase 0. */
  private static final ByteBuffer PERIODS = periods(256);

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String text = Requests.pathParam(exchange, "size");
    long size = parseSize(text);
    if (size < 0) {
      ErrorJson.send(exchange, StatusCodes.BAD_REQUEST,
          "size must be a byte count up to 1 TiB such as 1048576 or 1m, got '" + text + "'");
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
    exchange.setResponseContentLength(size);
    StreamSinkChannel channel = exchange.getResponseChannel();
    channel.getWriteSetter().set(new Pump(exchange, size));
    channel.resumeWrites();
  }

  /** The size in bytes, or -1 when {@code text} is not one or exceeds {@link #MAX_SIZE}. */
  static long parseSize(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    int shift = switch (lower.isEmpty() ? ' ' : lower.charAt(lower.length() - 1)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    String digits = shift == 0 ? lower : lower.substring(0, lower.length() - 1);
    Long count = Requests.nonNegativeLong(digits);
    if (count == null || count > MAX_SIZE >> shift) {
      return -1;
    }
    return count << shift;
  }

  private static ByteBuffer periods(int count) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(PERIOD * count);
    for (int i = 0; i < buffer.capacity(); i++) {
      buffer.put((byte) (i % PERIOD));
    }
    return buffer.flip().asReadOnlyBuffer();
  }

  /** Writes the next chunks whenever the response channel is writable. */
  private static final class Pump implements ChannelListener<StreamSinkChannel> {

    private final HttpServerExchange exchange;
    private long unscheduled;
    private ByteBuffer chunk = ByteBuffer.allocate(0);

    Pump(HttpServerExchange exchange, long size) {
      this.exchange = exchange;
      this.unscheduled = size;
    }

    @Override
    public void handleEvent(StreamSinkChannel channel) {
      try {
        while (chunk.hasRemaining() || unscheduled > 0) {
          if (!chunk.hasRemaining()) {
            chunk = PERIODS.duplicate();
            chunk.limit((int) Math.min(unscheduled, chunk.capacity()));
            unscheduled -= chunk.limit();
          }
          if (channel.write(chunk) == 0) {
            return;
          }
        }
        channel.suspendWrites();
        channel.shutdownWrites();
        if (channel.flush()) {
          exchange.endExchange();
        } else {
          channel.getWriteSetter().set(ChannelListeners.flushingChannelListener(
              flushed -> exchange.endExchange(),
              (failed, e) -> IoUtils.safeClose(exchange.getConnection())));
          channel.resumeWrites();
        }
      } catch (IOException e) {
        IoUtils.safeClose(exchange.getConnection());
      }
    }
  }
}
