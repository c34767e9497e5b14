package dev.ficus.samples.monolith;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ficus.samples.http.internal.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /echo-headers}: what the monolith saw, so tests can check what a proxy forwarded:
 * <pre>{"method":"GET","uri":"/echo-headers?a=1","protocol":"HTTP/1.1","peer":"127.0.0.1:51234",
 *  "headers":{"host":["127.0.0.1:7103"],"x-forwarded-for":["203.0.113.7"]}}</pre>
 * Header names are lower-cased and sorted; each maps to its values in the order received
 * (a repeated header has several). {@code peer} is the TCP peer. The request body is not
 * read. Runs on the IO thread.
 */
final class EchoHeadersHandler implements HttpHandler {

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    Map<String, HeaderValues> sorted = new TreeMap<>();
    for (HeaderValues values : exchange.getRequestHeaders()) {
      sorted.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), values);
    }
    ObjectNode headers = Json.object();
    sorted.forEach((name, values) -> {
      ArrayNode list = headers.putArray(name);
      values.forEach(list::add);
    });
    String query = exchange.getQueryString();
    InetSocketAddress peer = exchange.getSourceAddress();
    ObjectNode echo = Json.object()
        .put("method", exchange.getRequestMethod().toString())
        .put("uri", exchange.getRequestURI() + (query.isEmpty() ? "" : "?" + query))
        .put("protocol", exchange.getProtocol().toString())
        .put("peer", peer.getAddress().getHostAddress() + ":" + peer.getPort());
    echo.set("headers", headers);
    Json.send(exchange, StatusCodes.OK, echo);
  }
}
