package dev.ficus.server;

import dev.ficus.error.GatewayError;
import dev.ficus.error.ProblemRenderer;
import dev.ficus.http.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The bottom of an HTTP/1.1 client connection's source conduits: every byte the client sends
 * passes {@link RequestFraming} before Undertow's parser sees it, and Undertow gets only the
 * bytes before the first request that Ficus refuses. When that request is reached:
 * <ul>
 *   <li>its head was refused and no exchange runs (the usual case: Undertow is reading a head):
 *       the connection is taken over: an RFC 9457 problem document is written (400, or 431 for
 *       {@code limits.maxHeadSize} / {@code maxHeaders}) with {@code Connection: close}, writes are
 *       shut down, and what the client still sends is read and dropped for at most
 *       {@link #LINGER_MILLIS} (so that the answer is not lost to a reset, as nginx's lingering
 *       close), then the connection is closed;
 *   <li>its head was refused while an earlier pipelined exchange still runs: nothing is read until
 *       that exchange ends, then as above;
 *   <li>its body (chunked framing, trailers) was refused: the exchange reading it gets an
 *       {@link IOException}, as for a client that vanished, and the connection is closed. If no
 *       part of the answer was sent yet, the problem document is written first (straight to the
 *       socket, under Undertow's response conduits, which hold nothing for this exchange then).
 * </ul>
 *
 * <p>Memory: the framing state (a few counters) and, once taken over, the problem document.
 * An unfinished head is never passed on beyond {@code maxHeadSize} bytes, so Undertow's parser
 * holds at most that much of it.
 *
 * <p>Threads: the connection's IO thread only (Undertow reads its HTTP/1.1 connections there).
 */
final class StrictFramingConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
  /** How long a refused client's further bytes are read and dropped before the close. */
  static final long LINGER_MILLIS = 2_000;
  private static final ProblemRenderer PROBLEMS = new ProblemRenderer(Json.MAPPER);

  private final StreamConnection connection;
  private final RequestFraming framing;
  /** The socket's own sink conduit, under everything Undertow puts on it. */
  private final StreamSinkConduit socketSink;
  /** The exchange being served on this connection, or null between requests. */
  private HttpServerExchange exchange;
  private boolean takenOver;
  /** The refused bytes were in the body of the running exchange. */
  private boolean bodyRefused;
  private ByteBuffer answer;

  StrictFramingConduit(StreamConnection connection, int maxHeadSize, int maxHeaders) {
    super(connection.getSourceChannel().getConduit());
    this.connection = connection;
    this.framing = new RequestFraming(maxHeadSize, maxHeaders);
    this.socketSink = connection.getSinkChannel().getConduit();
  }

  /**
   * Checks bytes that were read before this conduit was installed (the accept path's first read)
   * and cuts {@code bytes}' limit before the first refused request.
   */
  void checkRead(ByteBuffer bytes) {
    bytes.limit(framing.scan(bytes, bytes.position(), bytes.limit()));
  }

  /** An exchange begins on this connection (called by {@link StrictFramingHandler}). */
  void exchangeStarted(HttpServerExchange ex) {
    exchange = ex;
  }

  /**
   * The exchange ended; a refused head waiting behind it is answered when Undertow resumes
   * reading for the next request ({@link #resumeReads}).
   */
  void exchangeEnded(HttpServerExchange ex) {
    if (exchange == ex) {
      exchange = null;
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (takenOver) {
      int n = drop(dst);
      if (bodyRefused) {
        // Never an end of stream to an exchange whose body was refused: its reader would take
        // it for the end of the body and could pass a complete-looking request on.
        throw new IOException(framing.refusal().detail());
      }
      return n;
    }
    if (framing.refusal() != null) {
      return refused(dst);
    }
    int start = dst.position();
    int n = next.read(dst);
    if (n <= 0 || framing.transparent()) {
      return n;
    }
    int end = start + n;
    int ok = framing.scan(dst, start, end);
    if (ok == end) {
      return n;
    }
    dst.position(ok);
    return ok > start ? ok - start : refused(dst);
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
    return Conduits.transfer(this, count, throughBuffer, target);
  }

  @Override
  public void resumeReads() {
    if (!takenOver && framing.refusal() != null && exchange == null) {
      // A refused head waited behind an exchange that has ended: no new byte may come to wake
      // the reader, so wake it now to answer.
      next.wakeupReads();
    } else {
      next.resumeReads();
    }
  }

  /** What a read returns once the client's next request is refused. */
  private int refused(ByteBuffer dst) throws IOException {
    GatewayError refusal = framing.refusal();
    if (exchange == null) {
      takeOver(refusal);
      return drop(dst);
    }
    if (framing.refusedInHead()) {
      // A pipelined request behind the running exchange: answered when that one has ended.
      next.suspendReads();
      return 0;
    }
    bodyRefused = true;
    if (!exchange.isResponseStarted() && nothingBuffered(exchange)) {
      takeOver(refusal);
    } else {
      IoUtils.safeClose(connection);
    }
    throw new IOException(refusal.detail());
  }

  /** True when no earlier answer waits in Undertow's pipelining buffer (it is flushed if it can be). */
  private static boolean nothingBuffered(HttpServerExchange ex) {
    if (!(ex.getConnection() instanceof HttpServerConnection c) || c.getPipelineBuffer() == null) {
      return true;
    }
    try {
      return c.getPipelineBuffer().flushPipelinedData();
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes the problem document on the socket, shuts writes down and lingers, then closes. */
  private void takeOver(GatewayError refusal) {
    takenOver = true;
    answer = ByteBuffer.wrap(rawAnswer(refusal));
    connection.getIoThread().executeAfter(() -> IoUtils.safeClose(connection), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    ConduitStreamSinkChannel sink = connection.getSinkChannel();
    // Straight to the socket: Undertow's response conduits hold nothing for a request that was
    // never passed on (or whose answer has not begun), and must not frame these bytes.
    sink.setConduit(socketSink);
    sink.setWriteListener(ch -> writeAnswer(sink));
    writeAnswer(sink);
  }

  private void writeAnswer(ConduitStreamSinkChannel sink) {
    try {
      while (answer.hasRemaining()) {
        if (sink.write(answer) == 0) {
          sink.resumeWrites();
          return;
        }
      }
      sink.shutdownWrites();
      if (!sink.flush()) {
        sink.resumeWrites();
        return;
      }
      sink.suspendWrites();
      next.resumeReads();
    } catch (IOException e) {
      IoUtils.safeClose(connection);
    }
  }

  /** Reads and drops what the refused client still sends; closes at its end of stream. */
  private int drop(ByteBuffer dst) {
    int start = dst.position();
    try {
      int n;
      int reads = 0;
      // Bounded, so that a client sending as fast as it can does not hold the IO thread.
      while ((n = next.read(dst)) > 0 && ++reads < 16) {
        dst.position(start);
      }
      if (n < 0) {
        IoUtils.safeClose(connection);
        return -1;
      }
    } catch (IOException e) {
      IoUtils.safeClose(connection);
      return -1;
    }
    dst.position(start);
    return 0;
  }

  /** The whole HTTP/1.1 answer: status line, problem+json, {@code Connection: close}. */
  static byte[] rawAnswer(GatewayError refusal) {
    byte[] body = PROBLEMS.render(refusal, null);
    String reason = refusal.status() == 431 ? "Request Header Fields Too Large" : "Bad Request";
    String head = "HTTP/1.1 " + refusal.status() + " " + reason + "\r\nContent-Type: " + ProblemRenderer.MEDIA_TYPE
        + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }
}
