package dev.ficus.http;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import org.xnio.ChannelListener;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Tells a handler that waits on a backend when its HTTP/1.x client goes away (closes or resets
 * its connection), so that the backend call can be cancelled instead of running to its end.
 *
 * <p>Why a watch: while an exchange runs, Undertow reads nothing from an HTTP/1 connection (its
 * read listener only suspends reads), so a client's FIN or RST stays unseen until the answer is
 * written. The watch takes the connection's read listener for the wait and reads the socket's
 * own conduit (under the conduits Undertow puts on the channel for the request's framing and its
 * buffered bytes): end of stream or a reset means the client left (a half-close counts, as in
 * nginx); bytes mean a pipelined request, which is handed back to Undertow
 * ({@link HttpServerConnection#ungetRequestBytes}) and ends the watch. {@link Watch#stop} puts Undertow's listener back; call it before answering.
 *
 * <p>HTTP/2 is not watched: Undertow 2.3 does not tell a waiting exchange that the client reset
 * its stream (the stream's channels close without a callback until something is written), and a
 * close listener per exchange on a shared connection could not be removed again.
 *
 * <p>Threads: everything runs on the exchange's IO thread.
 */
public final class ClientGone {
  /** A running watch. */
  public interface Watch {
    /** Ends the watch (idempotent); {@code gone} is not called after this. */
    void stop();
  }

  private static final Watch NONE = () -> {};

  private ClientGone() {}

  /**
   * Watches {@code ex}'s connection, whose request has been read in full, and runs {@code gone}
   * once, after closing the connection, if the client leaves before {@link Watch#stop}. Returns a
   * watch that does nothing for a connection it cannot watch (HTTP/2, or pipelined bytes already
   * buffered, meaning the client is still there).
   */
  public static Watch watch(HttpServerExchange ex, Runnable gone) {
    if (!(ex.getConnection() instanceof HttpServerConnection c) || c.getExtraBytes() != null) {
      return NONE;
    }
    Reading w = new Reading(c, gone);
    w.source.setReadListener(w);
    w.raw.resumeReads();
    return w;
  }

  private static final class Reading implements Watch, ChannelListener<ConduitStreamSourceChannel> {
    private final HttpServerConnection connection;
    private final ConduitStreamSourceChannel source;
    private final StreamSourceConduit raw;
    private final ChannelListener<? super ConduitStreamSourceChannel> undertow;
    private final Runnable gone;
    private boolean stopped;

    Reading(HttpServerConnection connection, Runnable gone) {
      this.connection = connection;
      this.source = connection.getChannel().getSourceChannel();
      this.raw = connection.getOriginalSourceConduit();
      this.undertow = source.getReadListener();
      this.gone = gone;
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel ch) {
      if (stopped) {
        return;
      }
      PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
      int n;
      try {
        n = raw.read(pooled.getBuffer());
      } catch (IOException e) {
        n = -1;
      }
      if (n == 0) {
        pooled.close();
        return;
      }
      stop();
      if (n > 0) {
        pooled.getBuffer().flip();
        connection.ungetRequestBytes(pooled);
        return;
      }
      pooled.close();
      try {
        connection.close();
      } catch (IOException e) {
        // closed anyway
      }
      gone.run();
    }

    @Override
    public void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      raw.suspendReads();
      source.setReadListener(undertow);
    }
  }
}
