package dev.ficus.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Headers;

/**
 * The root handler of HTTP/1.1 connections: tells the connection's {@link StrictFramingConduit}
 * when an exchange runs (a refused request pipelined behind it waits for its end), and ends the
 * connection after a request with {@code Upgrade} that was not upgraded, since the framing is
 * not read past such a request (what follows an upgrade is another protocol).
 *
 * <p>Runs on the IO thread; calls {@code next} for every request.
 */
final class StrictFramingHandler implements HttpHandler {
  private final HttpHandler next;

  StrictFramingHandler(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    // The conduit is the connection's original source conduit because GatewayServer sets none of
    // the options (IDLE_TIMEOUT, READ_TIMEOUT, statistics) that make Undertow wrap it.
    if (ex.getConnection() instanceof HttpServerConnection c
        && c.getOriginalSourceConduit() instanceof StrictFramingConduit framing) {
      framing.exchangeStarted(ex);
      ex.addExchangeCompleteListener((done, nextListener) -> {
        framing.exchangeEnded(done);
        nextListener.proceed();
      });
      if (ex.getRequestHeaders().contains(Headers.UPGRADE)) {
        ex.addResponseCommitListener(committed -> {
          if (!committed.isUpgrade()) {
            committed.setPersistent(false);
          }
        });
      }
    }
    next.handleRequest(ex);
  }
}
