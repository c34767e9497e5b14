package dev.ficus.samples.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The samples' JSON: decimals exact and written plainly (so {@code 1000.00} stays
 * {@code 1000.00}), duplicate keys rejected; and the one way the samples answer with JSON.
 * Thread-safe.
 */
public final class Json {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  public static final String APPLICATION_JSON = "application/json";

  private Json() {
  }

  /** A new empty JSON object. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Sends {@code body} with {@code status} and the given content type (UTF-8) and ends the
   * exchange. Runs on whatever thread owns the exchange; does not block.
   */
  public static void send(HttpServerExchange exchange, int status, String contentType,
      JsonNode body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType + ";charset=utf-8");
    exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
  }

  /** {@link #send} as {@code application/json}. */
  public static void send(HttpServerExchange exchange, int status, JsonNode body) {
    send(exchange, status, APPLICATION_JSON, body);
  }
}
