package dev.ficus.samples.monolith;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** {@code GET /}: the shop's HTML start page, linking the endpoints. Runs on the IO thread. */
final class HomePageHandler implements HttpHandler {

  private static final byte[] PAGE = """
      <!DOCTYPE html>
      <html lang="en">
      <head><meta charset="utf-8"><title>Legacy Shop</title></head>
      <body>
      <h1>Legacy Shop</h1>
      <p>Serving customers since 2009.</p>
      <ul>
        <li><a href="/api/customers/1">Customer 1</a></li>
        <li><a href="/api/orders?customer=1">Orders of customer 1</a></li>
        <li><a href="/api/orders/1001">Order 1001</a></li>
        <li><a href="/legacy/reports/2024/03.csv">Sales report, March 2024</a></li>
        <li><a href="/health">Health</a></li>
      </ul>
      </body>
      </html>
      """.getBytes(StandardCharsets.UTF_8);

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html;charset=utf-8");
    exchange.getResponseSender().send(ByteBuffer.wrap(PAGE));
  }
}
