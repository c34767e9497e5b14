package dev.ficus.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The gateway's one JSON configuration: decimals are read exactly (never through double) and
 * written without exponent, duplicate keys and trailing tokens are errors. A number token is at
 * most {@link NumberBounds#MAX_LITERAL_LENGTH} characters long (the same limit as every other
 * number the gateway reads; its value is bounded where it is used). Thread-safe.
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNumberLength(NumberBounds.MAX_LITERAL_LENGTH).build())
          .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  private Json() {}

  static {
    MAPPER.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
  }
}
