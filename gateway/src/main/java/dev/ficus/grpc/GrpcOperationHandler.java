package dev.ficus.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import dev.ficus.http.BodyReader;
import dev.ficus.http.ClientGone;
import dev.ficus.http.Json;
import dev.ficus.http.Responses;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Serves one REST route by calling one gRPC method: unary, server streaming (NDJSON, SSE or a
 * JSON array, by {@code Accept}), client streaming (the body is a JSON array or NDJSON) or
 * bidirectional streaming (a WebSocket, see {@link WebSocketBridge}).
 *
 * <p>Threads: {@link #handleRequest} runs on an Undertow IO thread and never blocks. It
 * matches the path with the route's {@link HttpTemplate}, receives the body asynchronously within
 * the gateway's body limits ({@link BodyReader}),
 * builds the request message (CPU only, bounded by the body limit), dispatches the exchange
 * and starts a non-blocking {@link ClientCall} with the route's deadline and allowed metadata —
 * or, for a unary method of a plaintext {@code host:port} backend, a {@link DirectUnaryClient}
 * call that stays on the IO thread from request to answer.
 * A unary reply is kept by gRPC's callback on the transport thread and rendered and sent with
 * {@link Responses} on the exchange's IO thread; a stream's callbacks run on gRPC's executor and
 * write it chunk by chunk, asking gRPC for the next message only when the previous one is
 * written. The call is cancelled when the HTTP exchange ends first, or when an HTTP/1 client
 * leaves before the first byte of the answer ({@link ClientGone}). Every failure ends as
 * one problem+json response (or, mid-stream, as a final error event).
 */
public final class GrpcOperationHandler implements HttpHandler {
  private static final HttpString RETRY_AFTER = new HttpString("Retry-After");

  private final String name;
  private final HttpTemplate template;
  private final MethodDescriptor<DynamicMessage, byte[]> method;
  private final Channel channel;
  /** Unary calls go here when the backend allows (plaintext host:port); null for grpc-java's channel. */
  private final DirectUnaryClient direct;
  private final String target;
  private final RequestTranslator request;
  private final ResponseTranslator response;
  private final StatusTranslator errors;
  private final MetadataPolicy metadata;
  private final Duration timeout;
  private final BodyReader bodies;
  /** The largest reply message ({@code limits.maxResponseSize}), on every transport. */
  private final int maxReplyBytes;
  /**
   * The WebSocket handshake of a bidirectional method bound to GET; null for the others (a
   * bidirectional method bound to POST is served half-duplex: the body's messages, then the
   * reply stream).
   */
  private final HttpHandler webSocket;
  /** The dry run of {@code Ficus-Debug: request}; null when the mapping does not enable it. */
  private final DebugView debug;

  GrpcOperationHandler(String name, HttpTemplate template, MethodDescriptor<DynamicMessage, byte[]> method,
      Channel channel, DirectUnaryClient direct, String target, RequestTranslator request, ResponseTranslator response,
      StatusTranslator errors, MetadataPolicy metadata, Duration timeout, BodyReader bodies, boolean webSocket,
      long maxReplyBytes, DebugView debug) {
    this.name = name;
    this.debug = debug;
    this.template = template;
    this.method = method;
    this.channel = channel;
    this.direct = direct;
    this.target = target;
    this.request = request;
    this.response = response;
    this.errors = errors;
    this.metadata = metadata;
    this.timeout = timeout;
    this.bodies = bodies;
    // grpc-java's limits are ints, and the direct client adds the 5-byte frame header.
    this.maxReplyBytes = (int) Math.min(maxReplyBytes, Integer.MAX_VALUE - 5);
    this.webSocket = webSocket
        ? new WebSocketProtocolHandshakeHandler(new WebSocketBridge(method, channel, request, response, errors, timeout,
            bodies.maxBytes(), this.maxReplyBytes))
        : null;
  }

  /** "GET /v1/{name=...} -> inventory.v1.Inventory/GetItem": the route as written. */
  public String name() {
    return name;
  }

  /** A readable description for the admin view and logs. */
  public String describe() {
    String kind = switch (method.getType()) {
      case UNARY -> "";
      case SERVER_STREAMING -> ", server streaming";
      case CLIENT_STREAMING -> ", client streaming";
      case BIDI_STREAMING -> webSocket != null ? ", bidirectional over WebSocket" : ", bidirectional, half-duplex";
      default -> ", " + method.getType().name().toLowerCase(Locale.ROOT);
    };
    return method.getFullMethodName() + " (gRPC" + kind + ") at " + target;
  }

  HttpTemplate template() {
    return template;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) {
    String[] values = template.match(ex.getRelativePath());
    if (values == null) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.NOT_FOUND,
          "No route matches " + ex.getRequestMethod() + " " + ex.getRequestPath()));
      return;
    }
    serve(ex, values);
  }

  /** Serves a request whose path already matched; {@code values} are the template's variables. */
  void serve(HttpServerExchange ex, String[] values) {
    if (webSocket != null) {
      webSocket(ex, values);
      return;
    }
    if (!request.usesBody()) {
      start(ex, values, null);
      return;
    }
    if (bodies.refusedByDeclaredLength(ex)) {
      return;
    }
    String ct = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    boolean hasBody = ex.getRequestContentLength() > 0 || ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    if (hasBody && !request.rawBody() && !isJson(ct) && !(clientStreaming() && isNdjson(ct))) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.UNSUPPORTED_MEDIA_TYPE,
          "Send the body as application/json" + (clientStreaming() ? " (an array) or application/x-ndjson" : "")
              + " (got " + (ct == null ? "no Content-Type" : ct) + ")"));
      return;
    }
    bodies.read(ex, (e, bytes) -> start(e, values, bytes));
  }

  /** Opens the WebSocket of a bidirectional method; {@link WebSocketBridge} runs the call. */
  private void webSocket(HttpServerExchange ex, String[] values) {
    if (!"websocket".equalsIgnoreCase(ex.getRequestHeaders().getFirst(Headers.UPGRADE))) {
      ex.getResponseHeaders().put(Headers.UPGRADE, "websocket");
      Responses.problem(ex, new GatewayError(GatewayError.Code.INVALID_REQUEST, 426, "Upgrade required",
          method.getFullMethodName() + " streams both ways; open a WebSocket here", false, null, null, null));
      return;
    }
    HeaderMap headers = new HeaderMap();
    ex.getRequestHeaders().forEach(h -> headers.putAll(h.getHeaderName(), h));
    RequestTranslator.Inputs in = new RequestTranslator.Inputs(values,
        new java.util.LinkedHashMap<>(ex.getQueryParameters()), headers);
    Metadata md;
    try {
      md = metadata.requestMetadata(ex.getRequestHeaders());
    } catch (GatewayException e) {
      Responses.problem(ex, e.error());
      return;
    }
    ex.putAttachment(WebSocketBridge.START, new WebSocketBridge.Start(in, md, ex.getRequestPath()));
    try {
      webSocket.handleRequest(ex);
    } catch (Exception e) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.INTERNAL, "The WebSocket handshake failed"));
    }
  }

  /** Client streaming, or bidirectional served half-duplex: the body holds the messages. */
  private boolean clientStreaming() {
    return !method.getType().clientSendsOneMessage();
  }

  /** Server streaming, or bidirectional served half-duplex: the replies are written as a stream. */
  private boolean serverStreaming() {
    return !method.getType().serverSendsOneMessage();
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    String ct = contentType.toLowerCase(Locale.ROOT);
    int semi = ct.indexOf(';');
    return (semi >= 0 ? ct.substring(0, semi) : ct).trim();
  }

  private static boolean isJson(String contentType) {
    String mt = mediaType(contentType);
    return mt.equals("application/json") || (mt.startsWith("application/") && mt.endsWith("+json"));
  }

  private static boolean isNdjson(String contentType) {
    String mt = mediaType(contentType);
    return mt.equals("application/x-ndjson") || mt.equals("application/ndjson") || mt.equals("application/jsonl");
  }

  private void start(HttpServerExchange ex, String[] values, byte[] body) {
    List<DynamicMessage> messages;
    HeaderMap headers = null;
    Metadata md = null;
    try {
      RequestTranslator.Inputs in = new RequestTranslator.Inputs(values, ex.getQueryParameters(),
          ex.getRequestHeaders());
      String ct = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
      messages = clientStreaming() ? elements(in, body, ct) : List.of(request.build(in, body, ct));
      if (debug != null && DebugView.asked(ex.getRequestHeaders())) {
        dryRun(ex, messages, metadata.requestMetadata(ex.getRequestHeaders()));
        return;
      }
      if (direct != null) {
        headers = metadata.requestHeaders(ex.getRequestHeaders());
      } else {
        md = metadata.requestMetadata(ex.getRequestHeaders());
      }
    } catch (GatewayException e) {
      Responses.problem(ex, e.error());
      return;
    }
    if (direct != null) {
      byte[] bytes = messages.get(0).toByteArray();
      HeaderMap h = headers;
      ex.dispatch(SameThreadExecutor.INSTANCE, () -> new DirectCall(ex).start(bytes, h));
      return;
    }
    Metadata m = md;
    // A half-duplex bidirectional call answers NDJSON unless asked otherwise, as grpc-gateway.
    StreamFormat format = !serverStreaming() ? null : StreamFormat.negotiate(ex.getRequestHeaders()
        .getFirst(Headers.ACCEPT), clientStreaming() ? StreamFormat.NDJSON : StreamFormat.JSON_ARRAY);
    // Keep the exchange open after this call stack returns; the call's callbacks complete it.
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> call(ex, messages, m, format));
  }

  /** Answers {@code Ficus-Debug: request} with the call it would make; the backend is not called. IO thread. */
  private void dryRun(HttpServerExchange ex, List<DynamicMessage> messages, Metadata md) {
    byte[] body;
    try {
      body = debug.render(method.getFullMethodName(), target, direct != null ? "direct" : "channel",
          timeout.toMillis(), messages, clientStreaming(), md);
    } catch (InvalidProtocolBufferException e) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.INTERNAL,
          "The request of " + method.getFullMethodName() + " cannot be shown as JSON: " + e.getMessage()));
      return;
    }
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    ex.getResponseHeaders().put(DebugView.HEADER, "dry-run");
    Responses.json(ex, 200, body);
  }

  /**
   * A unary call on {@link DirectUnaryClient}, on the exchange's IO thread. An HTTP/1 client that
   * leaves while it runs ({@link ClientGone}) cancels it, as a grpc-java client cancels a call: the
   * backend's stream is reset (its handler sees the call cancelled and can stop), the deadline is
   * dropped, and the call ends as CANCELLED, which is answered to no one: the client is gone.
   */
  private final class DirectCall implements DirectUnaryClient.Callback {
    private final HttpServerExchange ex;
    /** {@link System#nanoTime} when the call started: whose deadline a DEADLINE_EXCEEDED is. */
    private final long started = System.nanoTime();
    private DirectUnaryClient.Pending pending;
    private ClientGone.Watch watch;
    private boolean ended;
    private boolean left;

    DirectCall(HttpServerExchange ex) {
      this.ex = ex;
    }

    void start(byte[] message, HeaderMap headers) {
      pending = direct.call(ex.getIoThread(), ex.getConnection().getByteBufferPool(), "/" + method.getFullMethodName(),
          message, headers, timeout.toMillis(), maxReplyBytes, this);
      if (!ended) {
        watch = ClientGone.watch(ex, this::clientLeft);
      }
    }

    private void clientLeft() {
      left = true;
      pending.cancel("the HTTP client went away");
    }

    @Override
    public void done(Status status, Metadata headers, Metadata trailers, byte[] reply) {
      ended = true;
      if (watch != null) {
        watch.stop();
      }
      // The HTTP client may have gone while the call ran: nothing left to answer.
      if (!left && !ex.isComplete()) {
        answer(ex, status, headers, trailers, reply, started);
      }
    }
  }

  /** The messages of a client stream: the elements of a JSON array, or the lines of NDJSON. */
  private List<DynamicMessage> elements(RequestTranslator.Inputs in, byte[] body, String ct) {
    List<DynamicMessage> out = new ArrayList<>();
    if (body == null || body.length == 0) {
      return out;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (isNdjson(ct)) {
      String[] lines = text.split("\r?\n");
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        try {
          RequestTranslator.checkSyntax(lines[i]);
        } catch (GatewayException e) {
          throw new GatewayException(GatewayError.of(GatewayError.Code.MALFORMED_JSON,
              "Line " + (i + 1) + " of the NDJSON body: " + e.error().detail()));
        }
        out.add(request.buildElement(in, lines[i], "/" + out.size()));
      }
      return out;
    }
    RequestTranslator.checkSyntax(text);
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new GatewayException(GatewayError.of(GatewayError.Code.MALFORMED_JSON, "The body cannot be read"));
    }
    if (!root.isArray()) {
      out.add(request.buildElement(in, text, ""));
      return out;
    }
    for (int i = 0; i < root.size(); i++) {
      try {
        out.add(request.buildElement(in, Json.MAPPER.writeValueAsString(root.get(i)), "/" + i));
      } catch (IOException e) {
        throw new GatewayException(GatewayError.of(GatewayError.Code.MALFORMED_JSON, "The body cannot be read"));
      }
    }
    return out;
  }

  private void call(HttpServerExchange ex, List<DynamicMessage> messages, Metadata md, StreamFormat format) {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (format == null) {
      // One reply: gRPC's callbacks only record it and post the answer to the exchange's IO
      // thread (UnaryListener), so they can run right on the transport's event loop instead of
      // a hop through gRPC's executor.
      options = options.withExecutor(MoreExecutors.directExecutor());
    }
    ReplyLimit.Watch limit = new ReplyLimit.Watch(maxReplyBytes);
    options = options.withMaxInboundMessageSize(maxReplyBytes).withStreamTracerFactory(limit);
    ClientCall<DynamicMessage, byte[]> call = channel.newCall(method, options);
    Listener listener = format == null ? new UnaryListener(ex, limit) : new StreamListener(ex, call, format, limit);
    ex.addExchangeCompleteListener((e, next) -> {
      // Cancelling a call that already closed would still queue a command to the transport.
      if (!listener.closed) {
        call.cancel("the HTTP exchange ended", null);
      }
      next.proceed();
    });
    try {
      call.start(listener, md);
      call.request(format == null ? 2 : 1);
      for (DynamicMessage m : messages) {
        call.sendMessage(m);
      }
      call.halfClose();
    } catch (RuntimeException e) {
      call.cancel("the gateway failed to send the request", e);
    }
    if (!listener.closed) {
      listener.watch(ex, call);
    }
  }

  private void fail(HttpServerExchange ex, Status status, Metadata headers, Metadata trailers, long started) {
    StatusTranslator.Failure f = errors.translate(status, trailers, started);
    if (f.retryAfterSeconds() >= 0) {
      ex.getResponseHeaders().put(RETRY_AFTER, Long.toString(f.retryAfterSeconds()));
    }
    metadata.copyBack(headers, trailers, ex.getResponseHeaders());
    Responses.problem(ex, f.error());
  }

  private GatewayError internal() {
    return GatewayError.of(GatewayError.Code.INTERNAL,
        "The gateway failed while translating the reply of " + method.getFullMethodName());
  }

  /**
   * A call's listener; {@link #closed} tells whether gRPC has closed the call. Until the first
   * byte of the answer, an HTTP/1 client that leaves ({@link ClientGone}) cancels the call, as in
   * {@link DirectCall}: the exchange-complete listener would not, since Undertow does not complete
   * the exchange of a closed HTTP/1 connection. The watch and {@link #left} are the exchange's IO
   * thread's; the subclasses hand their answer to that thread and call {@link #stopWatching}
   * there first.
   */
  private abstract static class Listener extends ClientCall.Listener<byte[]> {
    volatile boolean closed;
    /** Tells a reply over the limit from a backend's RESOURCE_EXHAUSTED; see {@link ReplyLimit.Watch}. */
    final ReplyLimit.Watch limit;
    /** {@link System#nanoTime} when the call started: whose deadline a DEADLINE_EXCEEDED is. */
    final long started = System.nanoTime();
    private ClientGone.Watch watch;
    private boolean left;

    Listener(ReplyLimit.Watch limit) {
      this.limit = limit;
    }

    /** Watches the client of a started call. IO thread. */
    final void watch(HttpServerExchange ex, ClientCall<?, ?> call) {
      watch = ClientGone.watch(ex, () -> {
        left = true;
        call.cancel("the HTTP client went away", null);
      });
    }

    /** Ends the watch (idempotent) before anything is written; true if the client left. IO thread. */
    final boolean stopWatching() {
      if (watch != null) {
        watch.stop();
      }
      return left;
    }
  }

  /**
   * Collects the one reply of a unary or client-streaming call; answers on close. Its callbacks
   * run on gRPC's transport thread (direct executor): they only keep the reply, and on close the
   * answer is rendered and written on the exchange's own IO thread, which then goes on reading
   * the connection's next request without another hand-off.
   */
  private final class UnaryListener extends Listener {
    private final HttpServerExchange ex;
    private Metadata headers;
    private byte[] reply;

    UnaryListener(HttpServerExchange ex, ReplyLimit.Watch limit) {
      super(limit);
      this.ex = ex;
    }

    @Override
    public void onHeaders(Metadata h) {
      headers = h;
    }

    @Override
    public void onMessage(byte[] message) {
      reply = message;
    }

    @Override
    public void onClose(Status grpcStatus, Metadata trailers) {
      closed = true;
      Status status = limit.classify(grpcStatus);
      ex.getIoThread().execute(() -> {
        // The HTTP client may have gone while the call ran: nothing left to answer.
        if (!stopWatching()) {
          answer(status, trailers);
        }
      });
    }

    private void answer(Status status, Metadata trailers) {
      GrpcOperationHandler.this.answer(ex, status, headers, trailers, reply, started);
    }
  }

  /** Answers a unary or client-streaming call: the reply as JSON, or its status as a problem. */
  private void answer(HttpServerExchange ex, Status status, Metadata headers, Metadata trailers, byte[] reply,
      long started) {
    try {
      if (!status.isOk()) {
        fail(ex, status, headers, trailers, started);
      } else if (reply == null) {
        Responses.problem(ex, GatewayError.of(GatewayError.Code.BAD_GATEWAY,
            "The backend closed " + method.getFullMethodName() + " without a reply"));
      } else {
        ResponseTranslator.Rendered r = response.render(reply);
        metadata.copyBack(headers, trailers, ex.getResponseHeaders());
        ex.setStatusCode(200);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, r.contentType());
        ex.getResponseSender().send(ByteBuffer.wrap(r.body()));
      }
    } catch (InvalidProtocolBufferException e) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The backend's reply to "
          + method.getFullMethodName() + " is not a valid message of its type: " + e.getMessage()));
    } catch (RuntimeException e) {
      Responses.problem(ex, internal());
    }
  }

  /** Writes each message of a server stream as it arrives; ends with the end or an error event. */
  private final class StreamListener extends Listener {
    private final HttpServerExchange ex;
    private final ClientCall<DynamicMessage, byte[]> call;
    private final StreamFormat format;
    private final ChunkWriter writer;
    private Metadata headers;
    private int count;

    StreamListener(HttpServerExchange ex, ClientCall<DynamicMessage, byte[]> call, StreamFormat format,
        ReplyLimit.Watch limit) {
      super(limit);
      this.ex = ex;
      this.call = call;
      this.format = format;
      this.writer = new ChunkWriter(ex, () -> call.cancel("the HTTP client went away", null));
    }

    @Override
    public void onHeaders(Metadata h) {
      headers = h;
    }

    @Override
    public void onMessage(byte[] message) {
      String json;
      try {
        json = response.json(message);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        call.cancel("the gateway cannot render a message", e);
        return;
      }
      if (count == 0) {
        // Queued before the chunk, so the watch ends before the writer touches the connection.
        ex.getIoThread().execute(this::stopWatching);
        begin(null);
      }
      writer.write(format.message(count++, json), () -> call.request(1));
    }

    private void begin(Metadata trailers) {
      metadata.copyBack(headers, trailers, ex.getResponseHeaders());
      ex.setStatusCode(200);
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, format.mediaType());
      ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    }

    @Override
    public void onClose(Status grpcStatus, Metadata trailers) {
      closed = true;
      Status status = limit.classify(grpcStatus);
      if (count == 0) {
        // Nothing written yet: end the watch on the IO thread first; a client that left gets nothing.
        ex.getIoThread().execute(() -> {
          if (!stopWatching()) {
            closeEmpty(status, trailers);
          }
        });
        return;
      }
      try {
        if (status.isOk()) {
          writer.finish(format.end(count));
        } else {
          writer.finish(format.error(count, errors.translate(status, trailers, started).error(),
              ex.getRequestPath()));
        }
      } catch (RuntimeException e) {
        writer.finish(format.error(count, internal(), ex.getRequestPath()));
      }
    }

    /** Ends a stream that sent no message: an empty stream, or the status as a problem. IO thread. */
    private void closeEmpty(Status status, Metadata trailers) {
      try {
        if (status.isOk()) {
          begin(trailers);
          writer.finish(format.end(0));
        } else {
          fail(ex, status, headers, trailers, started);
        }
      } catch (RuntimeException e) {
        Responses.problem(ex, internal());
      }
    }
  }
}
