package dev.ficus.server;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A listener of the gateway could not bind its address (most often: the port is taken).
 * Thrown by {@link GatewayServer#start} after everything it had started is stopped again; the
 * message is one sentence naming the listener, host and port, fit for a command line.
 */
public final class ListenException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  /** Which listener failed, for a command line that wants to say which option moves it. */
  public enum Listener { GATEWAY, ADMIN }

  private final Listener listener;
  private final int port;

  ListenException(Listener listener, String host, int port, IOException cause) {
    super((listener == Listener.ADMIN ? "the admin listener" : "the gateway") + " cannot listen on " + host + ":" + port
        + ": " + cause.getMessage(), cause);
    this.listener = listener;
    this.port = port;
  }

  public Listener listener() {
    return listener;
  }

  public int port() {
    return port;
  }
}
