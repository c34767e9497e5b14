package dev.ficus.samples.monolith;

import dev.ficus.samples.http.internal.ErrorJson;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.nio.ByteBuffer;
import org.xnio.Pooled;

/**
 * {@code /ws/echo}: a WebSocket that sends every text and binary message back as it came
 * (messages up to {@value #MAX_MESSAGE} bytes; a larger one closes the socket with 1009) and
 * answers a close with a close. A plain GET gets 426. Frames are handled on the IO thread.
 */
final class EchoWebSocket implements WebSocketConnectionCallback {

  static final int MAX_MESSAGE = 1 << 20;

  static HttpHandler handler() {
    return new WebSocketProtocolHandshakeHandler(new EchoWebSocket(),
        exchange -> {
          exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
          ErrorJson.send(exchange, StatusCodes.UPGRADE_REQUIRED,
              "this endpoint speaks WebSocket only");
        });
  }

  @Override
  public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
    channel.getReceiveSetter().set(new Echo());
    channel.resumeReceives();
  }

  private static final class Echo extends AbstractReceiveListener {

    @Override
    protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
      WebSockets.sendText(message.getData(), channel, null);
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
      Pooled<ByteBuffer[]> data = message.getData();
      try {
        WebSockets.sendBinary(WebSockets.mergeBuffers(data.getResource()), channel, null);
      } finally {
        data.free();
      }
    }

    @Override
    protected long getMaxTextBufferSize() {
      return MAX_MESSAGE;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
      return MAX_MESSAGE;
    }
  }
}
