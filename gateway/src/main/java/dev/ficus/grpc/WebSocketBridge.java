package dev.ficus.grpc;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bidirectional gRPC call over a WebSocket. The route opens with {@code GET} and the
 * WebSocket handshake; then each text frame from the client is one request message (proto3
 * JSON, with the route's path variables and bound query/header values applied), and each reply
 * message is one text frame back. An empty text frame means the client is done sending (gRPC
 * half-close); the server's remaining replies still arrive. The socket closes with 1000 when
 * the call ends OK; otherwise a last frame {@code {"error": problem}} is sent and the socket
 * closes with 1011 (1007 when a client frame does not fit, 1003 for a binary frame). A client
 * message larger than {@code limits.maxBodySize}, text or binary, ends the session before more of
 * it is buffered. Closing the socket cancels the call.
 *
 * <p>Threads: every operation on the gRPC call except cancel happens on the WebSocket's IO
 * thread (gRPC calls are not thread-safe); replies are sent from gRPC's executor, and the next
 * one is asked for only when the previous frame is written. Client frames are not read while
 * gRPC's send buffer is full. The deadline of the route bounds the whole session.
 */
final class WebSocketBridge implements WebSocketConnectionCallback {
  /** What the HTTP upgrade request contributes to every message, attached before the handshake. */
  record Start(RequestTranslator.Inputs inputs, Metadata metadata, String path) {}

  static final AttachmentKey<Start> START = AttachmentKey.create(Start.class);

  private final MethodDescriptor<DynamicMessage, byte[]> method;
  private final Channel channel;
  private final RequestTranslator request;
  private final ResponseTranslator response;
  private final StatusTranslator errors;
  private final Duration timeout;
  private final long maxFrameBytes;
  /** The largest reply message ({@code limits.maxResponseSize}); see {@link ReplyLimit}. */
  private final int maxReplyBytes;

  WebSocketBridge(MethodDescriptor<DynamicMessage, byte[]> method, Channel channel, RequestTranslator request,
      ResponseTranslator response, StatusTranslator errors, Duration timeout, long maxFrameBytes, int maxReplyBytes) {
    this.method = method;
    this.channel = channel;
    this.request = request;
    this.response = response;
    this.errors = errors;
    this.timeout = timeout;
    this.maxFrameBytes = maxFrameBytes;
    this.maxReplyBytes = maxReplyBytes;
  }

  @Override
  public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel ws) {
    Start start = exchange.getAttachment(START);
    ReplyLimit.Watch limit = new ReplyLimit.Watch(maxReplyBytes);
    long started = System.nanoTime();
    ClientCall<DynamicMessage, byte[]> call = channel.newCall(method,
        CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .withMaxInboundMessageSize(maxReplyBytes).withStreamTracerFactory(limit));
    // Whoever ends the session first (the client, a bad frame, the call) decides how it closes.
    AtomicBoolean finished = new AtomicBoolean();
    ws.addCloseTask(c -> {
      finished.set(true);
      call.cancel("the WebSocket closed", null);
    });
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        String json;
        try {
          json = response.json(message);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
          call.cancel("the gateway cannot render a message", e);
          return;
        }
        WebSockets.sendText(json, ws, new WebSocketCallback<Void>() {
          @Override
          public void complete(WebSocketChannel channel, Void context) {
            ws.getIoThread().execute(() -> call.request(1));
          }

          @Override
          public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
            call.cancel("the WebSocket failed", throwable);
          }
        });
      }

      @Override
      public void onReady() {
        ws.getIoThread().execute(ws::resumeReceives);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        if (!finished.compareAndSet(false, true)) {
          return;
        }
        if (status.isOk()) {
          WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, "", ws, null);
        } else {
          end(ws, errors.translate(limit.classify(status), trailers, started).error(), CloseMessage.UNEXPECTED_ERROR,
              start.path());
        }
      }
    }, start.metadata());
    call.request(1);
    ws.getReceiveSetter().set(new AbstractReceiveListener() {
      @Override
      protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
        String text = message.getData();
        if (text.isEmpty()) {
          call.halfClose();
          return;
        }
        try {
          RequestTranslator.checkSyntax(text);
          call.sendMessage(request.buildElement(start.inputs(), text, ""));
        } catch (GatewayException e) {
          if (finished.compareAndSet(false, true)) {
            call.cancel("the client sent a message that does not fit", null);
            end(ws, e.error(), CloseMessage.MSG_CONTAINS_INVALID_DATA, start.path());
          }
          return;
        }
        if (!call.isReady()) {
          ws.suspendReceives();
        }
      }

      @Override
      protected void onCloseMessage(CloseMessage cm, WebSocketChannel channel) {
        // The listener answers the close frame itself; the call just stops.
        finished.set(true);
        call.cancel("the client closed the WebSocket", null);
      }

      @Override
      protected void onError(WebSocketChannel channel, Throwable error) {
        finished.set(true);
        call.cancel("the WebSocket failed", error);
        super.onError(channel, error);
      }

      @Override
      protected long getMaxTextBufferSize() {
        return maxFrameBytes;
      }

      /** Undertow's default is no limit: a binary message would be buffered whole, however large. */
      @Override
      protected long getMaxBinaryBufferSize() {
        return maxFrameBytes;
      }

      @Override
      protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        message.getData().free();
        if (finished.compareAndSet(false, true)) {
          call.cancel("the client sent a binary message", null);
          end(ws, GatewayError.of(GatewayError.Code.UNSUPPORTED_MEDIA_TYPE,
              "Send each message as a JSON text frame; binary frames are not accepted"), CloseMessage.WRONG_CODE,
              start.path());
        }
      }
    });
    ws.resumeReceives();
  }

  /** Sends the problem as the last frame, then closes with {@code code}. */
  private static void end(WebSocketChannel ws, GatewayError e, int code, String path) {
    WebSockets.sendText(StreamFormat.errorEvent(e, path), ws, new WebSocketCallback<Void>() {
      @Override
      public void complete(WebSocketChannel channel, Void context) {
        WebSockets.sendClose(code, e.title(), channel, null);
      }

      @Override
      public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
        WebSockets.sendClose(code, e.title(), channel, null);
      }
    });
  }
}
