package dev.ficus.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import dev.ficus.http.ClientBodies;
import dev.ficus.http.Deadlines;
import io.undertow.UndertowOptions;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.protocols.http2.Http2StreamSinkChannel;
import io.undertow.server.protocol.http.HttpAttachments;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * Unary gRPC calls to one plaintext backend ({@code host:port}) over Undertow's own HTTP/2
 * client, on the IO thread that received the HTTP request: one multiplexed HTTP/2 connection
 * (prior knowledge, h2c) per IO thread, so a call never leaves its thread — no hand-off to
 * gRPC's Netty event loop and back, no per-call layers of grpc-java.
 *
 * <p>The call follows the gRPC over HTTP/2 protocol: {@code POST /package.Service/Method} with
 * {@code content-type: application/grpc}, {@code te: trailers}, {@code grpc-timeout} (the
 * route's deadline, which the server enforces too) and the allowed metadata; one
 * length-prefixed, uncompressed message (no {@code grpc-accept-encoding} is offered, so a
 * server does not compress); the status from the trailers, or from the headers of a
 * trailers-only answer; a non-gRPC HTTP status mapped as the gRPC spec says. The deadline also
 * runs here: when it passes first, the call ends as DEADLINE_EXCEEDED and a late answer is
 * ignored. A connection that fails or closes is replaced by the next call. A call can be
 * cancelled ({@link Pending#cancel}): its stream is reset with {@code CANCEL}, as grpc-java's
 * channel does, and the other calls on the connection go on. A stream the server resets ends
 * its call as CANCELLED (what the gRPC spec maps {@code RST_STREAM(CANCEL)} to; Undertow does not
 * report the error code), a connection that fails or goes away as UNAVAILABLE.
 *
 * <p>Abandoned replies. A call that ends before its reply was read to the end (cut at the size
 * limit, cancelled, past its deadline, or reset by the server) has its stream reset, and gives
 * its stream's share back to the connection's flow-control window: Undertow counts received
 * DATA against the connection window only when it is read from the stream, and drops unread or
 * late DATA of a closed or reset stream without a {@code WINDOW_UPDATE}, so each abandoned reply
 * would shrink the connection's 64 KiB window for good, until every later call on it stalls. The
 * bytes dropped are not known exactly, but never more than the stream's receive window, which
 * Undertow keeps at most at its initial size; that much is credited (see {@link Conn#credit}).
 *
 * <p>Streaming calls, TLS backends and several addresses stay on grpc-java's channel. Thread
 * safety: each IO thread only touches its own connection; the map of them is concurrent.
 */
final class DirectUnaryClient implements AutoCloseable {
  /** How a call ends: its status, response headers and trailers as metadata, and the message (null if none). */
  interface Callback {
    void done(Status status, Metadata headers, Metadata trailers, byte[] reply);
  }

  /** A call not yet ended; used on the call's IO thread only. */
  interface Pending {
    /**
     * Ends the call as CANCELLED (its {@link Callback} gets that status) and tells the backend:
     * a call still waiting for a stream is dropped, a sent one has its stream reset with
     * {@code RST_STREAM(CANCEL)}. Does nothing once the call has ended.
     */
    void cancel(String why);
  }

  private static final HttpString TE = new HttpString("te");
  private static final HttpString GRPC_TIMEOUT = new HttpString("grpc-timeout");
  private static final String USER_AGENT = "ficus";
  static final int MAX_STREAMS = 100;
  static final long PING_TIMEOUT_MILLIS = 10_000;
  /**
   * Cancelled calls a connection serves before it is replaced. Undertow's client forgets the
   * exchange of a stream it reset before any answer only when the connection closes (the exchange
   * and its request headers stay; the call itself is let go), so a busy connection that sees many
   * cancels is renewed now and then.
   */
  static final int CANCELS_PER_CONNECTION = 1_000;
  /**
   * Undertow closes an HTTP/2 connection that sends (or receives) more than 200 RST_STREAM frames
   * in 30 s, its defence against "rapid reset" as a server; on this client every reset sent is a
   * cancel of our own, and closing the connection would fail every other call on it.
   */
  private static final OptionMap CONNECTION_OPTIONS = OptionMap.builder().addAll(dev.ficus.http.BackendSockets.OPTIONS)
      .set(UndertowOptions.MAX_RST_FRAMES_PER_WINDOW, Integer.MAX_VALUE).getMap();
  /** The least time between two pings of a connection (see {@link Lane#check}). */
  static final long PING_SPACING_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** Credited for abandoned streams before a connection is replaced (see {@link Conn#credit}). */
  static final long MAX_CREDIT = 1L << 30;
  /** A transport failure this close to the deadline is the deadline (timer granularity). */
  private static final long DEADLINE_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final URI uri;
  private final String authority;
  private final int maxStreams;
  private final long pingTimeoutMillis;
  private final long idleMillis;
  private final int cancelsPerConnection;
  /** Per IO thread: its connection, the calls in flight on it, the calls waiting. */
  private final Map<XnioIoThread, Lane> lanes = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** {@code target} is {@code host:port}. */
  DirectUnaryClient(String target) {
    this(target, MAX_STREAMS, PING_TIMEOUT_MILLIS, GrpcChannels.IDLE.toMillis(), CANCELS_PER_CONNECTION);
  }

  /**
   * As above, with at most {@code maxStreams} calls in flight per IO thread's connection, and
   * {@code pingTimeoutMillis} for the ping after a missed deadline, and connections closed after
   * {@code idleMillis} without calls (as grpc-java's channel drops idle ones), and replaced after
   * {@code cancelsPerConnection} cancelled calls.
   */
  DirectUnaryClient(String target, int maxStreams, long pingTimeoutMillis, long idleMillis, int cancelsPerConnection) {
    this.uri = URI.create("h2c-prior://" + target);
    this.authority = target;
    this.maxStreams = maxStreams;
    this.pingTimeoutMillis = pingTimeoutMillis;
    this.idleMillis = idleMillis;
    this.cancelsPerConnection = cancelsPerConnection;
  }

  /** Whether {@code target} (a mapping's gRPC target) can be called directly: one plain {@code host:port}. */
  static boolean supports(String target) {
    if (target.contains(",") || target.contains("://") || target.contains("/")) {
      return false;
    }
    try {
      URI u = URI.create("h2c-prior://" + target);
      return u.getHost() != null && u.getPort() > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Calls {@code path} with {@code message} from {@code io} (the current thread). {@code cb} is
   * called once, on {@code io}; the call can be cancelled until then. A reply message over
   * {@code maxReplyBytes} ends the call with {@link ReplyLimit#exceeded}.
   */
  Pending call(XnioIoThread io, ByteBufferPool buffers, String path, byte[] message, HeaderMap metadata,
      long timeoutMillis, int maxReplyBytes, Callback cb) {
    Lane lane = lanes.computeIfAbsent(io, t -> new Lane(t, buffers));
    Call call = new Call(lane, path, message, metadata, timeoutMillis, maxReplyBytes, cb);
    Deadlines.add(io, call, Math.max(1, timeoutMillis));
    lane.submit(call);
    return call;
  }

  @Override
  public void close() {
    closed = true;
    lanes.values().forEach(l -> {
      if (l.current != null) {
        IoUtils.safeClose(l.current.connection);
      }
    });
    lanes.clear();
  }

  /** One HTTP/2 connection of a lane, with its calls in flight; touched only by the lane's IO thread. */
  private static final class Conn {
    final ClientConnection connection;
    int inFlight;
    int cancels;
    /** Bytes credited to the connection window for abandoned streams; see {@link #credit}. */
    long credited;
    /** {@link System#nanoTime} when the server last answered something here (headers, a ping). */
    long heardAt;
    /** {@link System#nanoTime} of the last ping sent here; 0 before the first. */
    long pingedAt;
    /** Replaced after too many cancels: takes no new calls, and closes when its last call ends. */
    boolean retired;

    Conn(ClientConnection connection) {
      this.connection = connection;
    }

    /**
     * Gives an abandoned stream's unread DATA back to the connection's flow-control window, as
     * if it had been read: the stream's whole receive window (the most the server can have sent
     * and we not read), since Undertow does not say how much it dropped. What is credited beyond
     * the bytes dropped only lets the server send more on the connection than Undertow counts,
     * which each stream's own window still bounds; true once more than {@link #MAX_CREDIT} was
     * credited, so that the connection is replaced long before the server's view of its window
     * could pass 2^31-1 (a connection error, RFC 9113 §6.9.1).
     */
    boolean credit(Http2Channel channel) {
      int window = channel.getInitialReceiveWindowSize();
      credited += window;
      try {
        channel.updateReceiveFlowControlWindow(window);
      } catch (IOException e) {
        // The connection is closing: nothing left to credit.
      }
      return credited > MAX_CREDIT;
    }
  }

  /**
   * One IO thread's HTTP/2 connection to the backend. At most {@code maxStreams} calls are in
   * flight on it (the least a server should allow, RFC 9113 §6.5.2); more wait here, in order,
   * as grpc-java's transport would make them wait. Touched only by its IO thread.
   */
  private final class Lane {
    final XnioIoThread io;
    final ByteBufferPool buffers;
    final ArrayDeque<Call> waiting = new ArrayDeque<>();
    /** The connection new calls go on; null until connected. */
    Conn current;
    boolean connecting;
    boolean pinging;
    /** When the last call ended with none left; the idle check runs from it. */
    long idleSince;
    XnioExecutor.Key idleTimer;

    Lane(XnioIoThread io, ByteBufferPool buffers) {
      this.io = io;
      this.buffers = buffers;
    }

    void submit(Call call) {
      waiting.addLast(call);
      drain();
    }

    /** Sends what waits while the connection is open and has room; opens a connection when needed. */
    void drain() {
      while (!waiting.isEmpty()) {
        Call next = waiting.peekFirst();
        if (next.done) {
          waiting.pollFirst();
          continue;
        }
        if (current == null || !current.connection.isOpen()) {
          connect();
          return;
        }
        if (current.inFlight >= maxStreams) {
          return;
        }
        waiting.pollFirst();
        next.send(current);
      }
    }

    /** A call ended: when none is left, the connection is closed after {@code idleMillis} unless used again. */
    void ended() {
      if ((current != null && current.inFlight > 0) || !waiting.isEmpty()) {
        return;
      }
      idleSince = System.nanoTime();
      if (idleTimer == null) {
        idleTimer = io.executeAfter(this::idleCheck, idleMillis, TimeUnit.MILLISECONDS);
      }
    }

    private void idleCheck() {
      idleTimer = null;
      if (current == null || current.inFlight > 0 || !waiting.isEmpty()) {
        return; // in use again: the next call to end re-arms the check
      }
      long left = idleMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);
      if (left > 0) {
        idleTimer = io.executeAfter(this::idleCheck, left, TimeUnit.MILLISECONDS);
      } else {
        IoUtils.safeClose(current.connection);
        current = null;
      }
    }

    /**
     * After {@code missed} missed its deadline: pings its connection, and closes it when no answer
     * comes within {@code pingTimeoutMillis} (10 s), so that a connection whose peer vanished (no
     * FIN: a crashed host, a dropped NAT entry) is replaced instead of timing out every later call.
     * This stands in for grpc-java's periodic keep-alive pings. No ping when the server answered
     * anything on the connection since the call was sent (it is alive), nor within
     * {@link #PING_SPACING_NANOS} of the last one: a grpc-java server counts a ping that comes
     * less than 5 minutes after the last one, with nothing written by it in between, as a strike,
     * and closes the connection with {@code GOAWAY(ENHANCE_YOUR_CALM, "too_many_pings")} at the
     * third, failing every call on it.
     */
    void check(Call missed) {
      Conn conn = current;
      ClientConnection c = conn == null ? null : conn.connection;
      if (c == null || missed.conn != conn || !c.isOpen() || pinging || !c.isPingSupported()) {
        return;
      }
      long now = System.nanoTime();
      if (conn.heardAt - missed.sentAt > 0 || (conn.pingedAt != 0 && now - conn.pingedAt < PING_SPACING_NANOS)) {
        return;
      }
      conn.pingedAt = now;
      pinging = true;
      c.sendPing(new ClientConnection.PingListener() {
        @Override
        public void acknowledged() {
          pinging = false;
          conn.heardAt = System.nanoTime();
        }

        @Override
        public void failed(IOException e) {
          pinging = false;
          IoUtils.safeClose(c);
          if (current == conn) {
            current = null;
          }
        }
      }, pingTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void connect() {
      if (connecting || closed) {
        return;
      }
      connecting = true;
      UndertowClient.getInstance().connect(new ClientCallback<ClientConnection>() {
        @Override
        public void completed(ClientConnection c) {
          connecting = false;
          if (closed) {
            IoUtils.safeClose(c);
            return;
          }
          // Calls still counted in flight on a closed connection end (failed, or at their deadline)
          // and are uncounted then.
          current = new Conn(c);
          drain();
        }

        @Override
        public void failed(IOException e) {
          connecting = false;
          // Every call waiting fails: the backend cannot be reached now; the next call tries again.
          for (Call c; (c = waiting.pollFirst()) != null; ) {
            c.end(Status.UNAVAILABLE.withDescription("cannot connect to " + authority).withCause(e), null, null, null);
          }
        }
      }, uri, io, buffers, CONNECTION_OPTIONS);
    }
  }

  /** One call; every method runs on the call's IO thread. */
  private final class Call extends Deadlines.Entry implements ClientCallback<ClientExchange>, Pending {
    final Lane lane;
    final ByteBufferPool buffers;
    final String path;
    final byte[] message;
    final HeaderMap metadata;
    final long timeoutMillis;
    final int maxReplyBytes;
    final Callback cb;
    boolean done;
    /** {@link System#nanoTime} at which the deadline passes. */
    final long deadline;
    /** Counted in the calls in flight of {@link #conn}, the connection it was sent on. */
    boolean sent;
    /** {@link System#nanoTime} when it was sent on {@link #conn}. */
    long sentAt;
    Conn conn;
    /** The exchange once started; what a cancel resets. */
    ClientExchange exchange;
    Answer answer;
    /** Whether the request reached the connection (the server may have seen it). */
    boolean started;
    boolean resent;
    /** The reply was read to its end: the stream owes the connection window nothing. */
    boolean drained;
    /** The stream failed or was reset by the server: nothing to reset on our side. */
    boolean broken;

    Call(Lane lane, String path, byte[] message, HeaderMap metadata, long timeoutMillis, int maxReplyBytes,
        Callback cb) {
      this.lane = lane;
      this.buffers = lane.buffers;
      this.path = path;
      this.message = message;
      this.metadata = metadata;
      this.timeoutMillis = timeoutMillis;
      this.maxReplyBytes = maxReplyBytes;
      this.cb = cb;
      this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis));
    }

    void send(Conn on) {
      if (done) {
        return;
      }
      ClientConnection c = on.connection;
      ClientRequest r = new ClientRequest().setMethod(Methods.POST).setPath(path);
      HeaderMap h = r.getRequestHeaders();
      h.putAll(metadata);
      h.put(Headers.HOST, authority);
      h.put(Headers.CONTENT_TYPE, "application/grpc");
      h.put(TE, "trailers");
      h.put(Headers.USER_AGENT, USER_AGENT);
      h.put(GRPC_TIMEOUT, Math.max(1, timeoutMillis) + "m");
      h.put(Headers.CONTENT_LENGTH, 5 + message.length);
      sent = true;
      sentAt = System.nanoTime();
      conn = on;
      on.inFlight++;
      c.sendRequest(r, this);
    }

    @Override
    public void completed(ClientExchange ex) {
      started = true;
      if (done) {
        // Cancelled or past its deadline while Undertow opened the stream.
        release(ex);
        return;
      }
      exchange = ex;
      answer = new Answer(this);
      ex.setResponseListener(answer);
      ByteBuffer body = ByteBuffer.allocate(5 + message.length);
      body.put((byte) 0).putInt(message.length).put(message).flip();
      ClientBodies.write(ex.getRequestChannel(), body, this::unavailable);
    }

    /** The response headers are in: reads the body. */
    void headersArrived(ClientExchange answered) {
      conn.heardAt = System.nanoTime();
      // The message and its 5-byte gRPC frame header.
      int limit = (int) Math.min(Integer.MAX_VALUE, maxReplyBytes + 5L);
      ClientBodies.read(answered.getResponseChannel(), buffers, limit, new ClientBodies.Reading() {
        @Override
        public void complete(byte[] body) {
          drained = true;
          answered(answered, body);
        }

        @Override
        public void tooLarge() {
          // The rest of the reply is not read: end() resets the stream and credits its window.
          end(ReplyLimit.exceeded(maxReplyBytes), null, null, null);
        }

        @Override
        public void failed(IOException e) {
          unavailable(e);
        }
      });
    }

    @Override
    public void cancel(String why) {
      // end() resets a sent call's stream. A call still waiting in the lane is skipped when its
      // turn comes: the backend never sees it.
      end(Status.CANCELLED.withDescription(why), null, null, null);
    }

    /**
     * Lets go of the stream of a call that ended before its reply was read to the end: resets it
     * (unless the server did, or it failed), so the server stops sending, and credits its window
     * to the connection. Runs after the call is marked done, so that what the reset triggers (a
     * read failing on the stream) finds it ended.
     */
    private void release(ClientExchange ex) {
      if (!(ex.getRequestChannel() instanceof Http2StreamSinkChannel sink)) {
        return;
      }
      boolean renew = false;
      if (!broken) {
        reset(sink);
        renew = ++conn.cancels >= cancelsPerConnection;
      }
      renew |= conn.credit(sink.getChannel());
      if (renew && lane.current == conn) {
        conn.retired = true;
        lane.current = null;
      }
    }

    /**
     * Resets this call's stream, and only it: Undertow's client has no "cancel" for one exchange
     * (closing the connection would end every call on it, and closing a request channel that is
     * already flushed does nothing), but its HTTP/2 channel sends RST_STREAM for a stream id and
     * forgets the stream, so a late answer is dropped. A request not yet flushed (a body larger
     * than the flow-control window) is closed instead: Undertow then resets the stream itself if
     * its headers went out, and sends nothing if they did not (a reset of a stream the server
     * never saw would be a protocol error).
     */
    private void reset(Http2StreamSinkChannel sink) {
      sink.getWriteSetter().set(null);
      if (sink.isWritesShutdown()) {
        sink.getChannel().sendRstStream(sink.getStreamId(), Http2Channel.ERROR_CANCEL);
      } else {
        IoUtils.safeClose(sink);
      }
    }

    /**
     * The request could not be started on the connection (it closed, or the server is going
     * away): it never left the gateway, so it is sent once more, on a new connection if needed —
     * what grpc-java calls a transparent retry.
     */
    @Override
    public void failed(IOException e) {
      if (!started && !resent && !done) {
        resent = true;
        sent = false;
        conn.inFlight--;
        if (lane.current == conn && !conn.connection.isOpen()) {
          lane.current = null;
        }
        lane.waiting.addFirst(this);
        lane.drain();
        return;
      }
      unavailable(e);
    }

    void unavailable(IOException e) {
      broken = true;
      if (System.nanoTime() - deadline > -DEADLINE_SLACK_NANOS) {
        // The server ends a call at the deadline we sent it (grpc-timeout) by resetting the
        // stream; when that reset wins the race with our own timer, the call still timed out.
        end(Status.DEADLINE_EXCEEDED.withDescription("deadline of " + timeoutMillis + " ms exceeded"), null, null,
            null);
        return;
      }
      if (started && conn.connection.isOpen()) {
        // Only this stream, once started, failed: the server reset it (Undertow fails the exchange,
        // or the read of its body; it closes the connection before failing exchanges on a
        // connection error or a GOAWAY). A request that could not be started stays UNAVAILABLE. The gRPC spec maps RST_STREAM(CANCEL), what servers send, to CANCELLED;
        // Undertow does not report the reset's error code, so every reset counts as CANCEL.
        end(Status.CANCELLED.withDescription("RST_STREAM closed stream"), null, null, null);
        return;
      }
      end(Status.UNAVAILABLE.withDescription("the connection to " + authority + " failed: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())).withCause(e), null, null, null);
    }

    /** The deadline passed. */
    @Override
    protected void expired() {
      if (!done) {
        end(Status.DEADLINE_EXCEEDED.withDescription("deadline of " + timeoutMillis + " ms exceeded"), null, null, null);
        lane.check(this);
      }
    }

    /** Ends the call once; later events (a late answer after the deadline) are ignored. */
    void end(Status status, Metadata headers, Metadata trailers, byte[] reply) {
      if (done) {
        return;
      }
      done = true;
      cancelDeadline();
      ClientExchange ex = exchange;
      exchange = null;
      if (answer != null) {
        answer.call = null;
      }
      if (ex != null && !drained) {
        release(ex);
      }
      if (sent) {
        sent = false;
        conn.inFlight--;
        if (conn.retired && conn.inFlight == 0) {
          IoUtils.safeClose(conn.connection);
        }
        lane.drain();
        lane.ended();
      }
      cb.done(status, headers, trailers, reply);
    }

    /** The whole answer is in: the status from the trailers (or the headers), the message from the body. */
    void answered(ClientExchange ex, byte[] body) {
      HeaderMap responseHeaders = ex.getResponse().getResponseHeaders();
      HeaderMap trailerMap = ex.getAttachment(HttpAttachments.REQUEST_TRAILERS);
      if (trailerMap == null) {
        trailerMap = ex.getAttachment(HttpAttachments.RESPONSE_TRAILERS);
      }
      // Undertow also puts the trailers into the response headers (a name in both keeps the
      // trailer's values only): the headers are what is left without them, so that a trailer
      // does not come back twice.
      Metadata headers = metadata(responseHeaders, trailerMap);
      HeaderMap statusFrom = trailerMap != null && trailerMap.contains("grpc-status") ? trailerMap : responseHeaders;
      Metadata trailers = trailerMap != null ? metadata(trailerMap, null) : headers;
      int http = ex.getResponse().getResponseCode();
      String code = statusFrom.getFirst("grpc-status");
      if (code == null) {
        end(http == 200 ? Status.INTERNAL.withDescription("the backend's answer has no grpc-status")
            : httpStatus(http), headers, trailers, null);
        return;
      }
      Status status;
      try {
        status = Status.fromCodeValue(Integer.parseInt(code.trim()));
      } catch (NumberFormatException e) {
        status = Status.UNKNOWN.withDescription("grpc-status '" + code + "'");
      }
      String text = statusFrom.getFirst("grpc-message");
      if (text != null) {
        status = status.withDescription(percentDecode(text));
      }
      byte[] reply = null;
      if (body.length > 0) {
        if (body.length < 5 || body[0] != 0) {
          end(Status.INTERNAL.withDescription(body.length < 5 ? "a cut gRPC message frame"
              : "a compressed reply, which was not offered"), headers, trailers, null);
          return;
        }
        int n = ByteBuffer.wrap(body, 1, 4).getInt();
        if (n < 0 || 5 + n != body.length) {
          end(Status.INTERNAL.withDescription("the reply is not exactly one gRPC message"), headers, trailers, null);
          return;
        }
        reply = java.util.Arrays.copyOfRange(body, 5, body.length);
      }
      end(status, headers, trailers, reply);
    }
  }

  /**
   * A call's response listener, held by Undertow's exchange. Undertow keeps the exchange of a
   * stream reset before its answer until the connection closes, so this lets go of the call
   * (its message, its callback and the HTTP exchange behind it) when the call ends.
   */
  private static final class Answer implements ClientCallback<ClientExchange> {
    private Call call;

    Answer(Call call) {
      this.call = call;
    }

    @Override
    public void completed(ClientExchange answered) {
      Call c = call;
      if (c != null && !c.done) {
        c.headersArrived(answered);
      } else {
        IoUtils.safeClose(answered.getResponseChannel());
      }
    }

    @Override
    public void failed(IOException e) {
      Call c = call;
      if (c != null && !c.done) {
        c.unavailable(e);
      }
    }
  }

  /** The gRPC status for an HTTP status that carries none (gRPC's http-grpc-status-mapping). */
  static Status httpStatus(int http) {
    Status s = switch (http) {
      case 400 -> Status.INTERNAL;
      case 401 -> Status.UNAUTHENTICATED;
      case 403 -> Status.PERMISSION_DENIED;
      case 404 -> Status.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> Status.UNAVAILABLE;
      default -> Status.UNKNOWN;
    };
    return s.withDescription("the backend answered HTTP " + http + " without a gRPC status");
  }

  /** grpc-message is percent-encoded UTF-8. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /**
   * HTTP/2 headers as gRPC metadata: text values as they are, {@code -bin} values base64-decoded;
   * the names that {@code except} holds (when not null) are left out.
   */
  static Metadata metadata(HeaderMap h, HeaderMap except) {
    Metadata md = new Metadata();
    for (HeaderValues hv : h) {
      String name = hv.getHeaderName().toString().toLowerCase(Locale.ROOT);
      if (name.startsWith(":") || (except != null && except != h && except.contains(hv.getHeaderName()))) {
        continue;
      }
      try {
        if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          Metadata.Key<byte[]> key = Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
          for (String v : hv) {
            // One header line may carry several values, comma-separated (gRPC's HTTP/2 mapping).
            for (String part : v.split(",")) {
              md.put(key, Base64.getDecoder().decode(part.trim()));
            }
          }
        } else {
          Metadata.Key<String> key = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
          for (String v : hv) {
            md.put(key, v);
          }
        }
      } catch (IllegalArgumentException e) {
        // A name gRPC would not accept, or bad base64: left out, as grpc-java leaves it out.
      }
    }
    return md;
  }

}
