package dev.ficus.server;

import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2ReceiveListener;
import io.undertow.server.protocol.http2.Http2UpgradeHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The client listener's accept path. A new connection whose first bytes are the HTTP/2
 * connection preface (h2c with prior knowledge) becomes an {@link Http2Channel} here; any other
 * goes, with the bytes read so far, to Undertow's HTTP/1.1 listener, which also serves
 * {@code Upgrade: h2c}.
 *
 * <p>Why not leave the preface to Undertow's HTTP/1.1 listener, which can take it: Undertow 2.3
 * arms an HTTP/2 connection's idle timer ({@code NO_REQUEST_TIMEOUT}, our
 * {@code limits.idleTimeout}) only when the connection's last stream ends, and the channel it
 * builds is out of reach, so a client that sent the preface and never opened a stream held the
 * connection for ever. Built here, the channel is at hand: if no stream has opened on it one idle
 * timeout after the preface, it gets GOAWAY (NO_ERROR) and is closed, as Undertow does once a
 * last stream has ended; from its first stream on, Undertow's own timer applies. An upgraded
 * (h2c) connection needs none of this: its upgrade request is its first stream.
 *
 * <p>Runs on IO threads (the accepting one, then the connection's) and never blocks. A
 * connection that sends nothing, or only the start of the preface, is closed one idle timeout
 * after it was accepted, as Undertow closes an HTTP/1.1 connection that sends nothing.
 */
final class ClientConnectionListener implements ChannelListener<StreamConnection> {
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  /** How long a client has to read the GOAWAY before the connection is closed (as Undertow). */
  private static final long GOAWAY_GRACE_MILLIS = 2_000;

  private final HttpHandler root;
  private final ByteBufferPool pool;
  private final OptionMap options;
  private final long idleMillis;
  private final HttpOpenListener http1;
  private final int maxHeadSize;
  private final int maxHeaders;

  /**
   * {@code options} are Undertow's server options; their {@code NO_REQUEST_TIMEOUT},
   * {@code MAX_HEADER_SIZE} and {@code MAX_HEADERS} must be set (the last two are also the
   * limits of the strict framing, {@link RequestFraming}).
   */
  ClientConnectionListener(HttpHandler root, ByteBufferPool pool, OptionMap options) {
    this.root = root;
    this.pool = pool;
    this.options = options;
    this.idleMillis = options.get(UndertowOptions.NO_REQUEST_TIMEOUT, -1);
    if (idleMillis <= 0) {
      throw new IllegalArgumentException("NO_REQUEST_TIMEOUT must be positive: " + idleMillis);
    }
    this.maxHeadSize = options.get(UndertowOptions.MAX_HEADER_SIZE, -1);
    this.maxHeaders = options.get(UndertowOptions.MAX_HEADERS, -1);
    if (maxHeadSize <= 0 || maxHeaders <= 0) {
      throw new IllegalArgumentException("MAX_HEADER_SIZE and MAX_HEADERS must be set");
    }
    this.http1 = new HttpOpenListener(pool, options);
    http1.setRootHandler(new StrictFramingHandler(new Http2UpgradeHandler(root)));
  }

  @Override
  public void handleEvent(StreamConnection connection) {
    new FirstBytes(connection).start();
  }

  /** Reads a new connection's first bytes until they are, or cannot be, the HTTP/2 preface. */
  private final class FirstBytes implements ChannelListener<ConduitStreamSourceChannel>, Runnable {
    private final StreamConnection connection;
    private final PooledByteBuffer read = pool.allocate();
    private volatile XnioExecutor.Key deadline;
    private volatile boolean done;

    FirstBytes(StreamConnection connection) {
      this.connection = connection;
    }

    void start() {
      deadline = connection.getIoThread().executeAfter(this, idleMillis, TimeUnit.MILLISECONDS);
      connection.getSourceChannel().setReadListener(this);
      handleEvent(connection.getSourceChannel());
    }

    /** The deadline: nothing that decides the protocol arrived in time. */
    @Override
    public void run() {
      if (!done) {
        giveUp();
      }
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel source) {
      if (done) {
        return;
      }
      Boolean http2;
      try {
        http2 = readPreface(source);
      } catch (IOException e) {
        giveUp();
        return;
      }
      if (http2 != null) {
        handOver(source, http2);
      }
    }

    /** True: the preface; false: not it; null: not yet known (reads resumed, or given up). */
    private Boolean readPreface(ConduitStreamSourceChannel source) throws IOException {
      ByteBuffer buffer = read.getBuffer();
      while (true) {
        int n = source.read(buffer);
        if (n < 0) {
          giveUp();
          return null;
        }
        int got = Math.min(buffer.position(), PREFACE.length);
        for (int i = 0; i < got; i++) {
          if (buffer.get(i) != PREFACE[i]) {
            return false;
          }
        }
        if (got == PREFACE.length) {
          return true;
        }
        if (n == 0) {
          source.resumeReads();
          return null;
        }
      }
    }

    private void handOver(ConduitStreamSourceChannel source, boolean http2) {
      done = true;
      deadline.remove();
      source.suspendReads();
      read.getBuffer().flip();
      if (http2) {
        // The preface is left in the buffer for the channel to check and consume.
        Http2Channel channel = new Http2Channel(connection, null, pool, read, false, false, options);
        FirstStream first = new FirstStream(channel);
        channel.getReceiveSetter().set(new Http2ReceiveListener(first, options, pool.getBufferSize(), null));
        first.deadline = channel.getIoThread().executeAfter(first, idleMillis, TimeUnit.MILLISECONDS);
        channel.addCloseTask(closed -> first.deadline.remove());
        channel.resumeReceives();
      } else {
        // Every byte of an HTTP/1.1 connection is read by the strict framing first, those read
        // here included; Undertow gets the ones before a refused request (StrictFramingConduit).
        StrictFramingConduit framing = new StrictFramingConduit(connection, maxHeadSize, maxHeaders);
        framing.checkRead(read.getBuffer());
        connection.getSourceChannel().setConduit(framing);
        http1.handleEvent(connection, read);
      }
    }

    private void giveUp() {
      done = true;
      deadline.remove();
      read.close();
      IoUtils.safeClose(connection);
    }
  }

  /**
   * The root handler of one prior-knowledge connection, noting that a stream has opened; and the
   * task that, one idle timeout after the preface, ends the connection if none has. Both run on
   * the channel's IO thread.
   */
  private final class FirstStream implements HttpHandler, Runnable {
    private final Http2Channel channel;
    private volatile XnioExecutor.Key deadline;
    private volatile boolean opened;

    FirstStream(Http2Channel channel) {
      this.channel = channel;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
      if (!opened) {
        opened = true;
        deadline.remove();
      }
      root.handleRequest(exchange);
    }

    @Override
    public void run() {
      if (opened || !channel.isOpen()) {
        return;
      }
      channel.sendGoAway(Http2Channel.ERROR_NO_ERROR);
      channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), GOAWAY_GRACE_MILLIS,
          TimeUnit.MILLISECONDS);
    }
  }
}
