package dev.ficus.samples.http.internal;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;

/**
 * One Undertow HTTP/1.1 listener serving a root handler, with no server-wide body size limit
 * (each handler sets its own). Handlers run on its IO threads and must not block there; the
 * small worker pool is for handlers that dispatch to it.
 *
 * <p>{@link #start} returns once the port accepts connections; {@link #close()} stops the
 * listener and its threads and frees the port; idempotent. Thread-safe.
 */
public final class SampleServer implements AutoCloseable {

  private final Undertow undertow;
  private final String host;
  private final int port;
  private boolean closed;

  private SampleServer(Undertow undertow, String host, int port) {
    this.undertow = undertow;
    this.host = host;
    this.port = port;
  }

  /**
   * Starts listening on {@code host:port}.
   *
   * @param port a TCP port, or 0 for any free port ({@link #port()} tells which)
   * @throws IllegalArgumentException for a port outside 0..65535
   * @throws RuntimeException         when the port cannot be bound (e.g. in use)
   */
  public static SampleServer start(String host, int port, HttpHandler root) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    Undertow undertow = Undertow.builder()
        .addHttpListener(port, host)
        .setIoThreads(2)
        .setWorkerThreads(4)
        .setHandler(root)
        // Undertow refuses bodies over 2 MiB by default, which would cut uploads short.
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
        .build();
    try {
      undertow.start();
    } catch (RuntimeException e) {
      undertow.stop();
      throw e;
    }
    InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
    return new SampleServer(undertow, host, bound.getPort());
  }

  /** The port actually bound. */
  public int port() {
    return port;
  }

  /** {@code http://host:port}, without a trailing slash. */
  public String baseUrl() {
    String literal = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + literal + ":" + port;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      undertow.stop();
    }
  }
}
