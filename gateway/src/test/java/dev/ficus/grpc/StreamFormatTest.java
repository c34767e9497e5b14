package dev.ficus.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.error.GatewayError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamFormatTest {
  @Test
  void acceptChoosesTheFormatAndAJsonArrayIsTheDefault() {
    assertThat(StreamFormat.negotiate(null)).isEqualTo(StreamFormat.JSON_ARRAY);
    assertThat(StreamFormat.negotiate("*/*")).isEqualTo(StreamFormat.JSON_ARRAY);
    assertThat(StreamFormat.negotiate("application/x-ndjson")).isEqualTo(StreamFormat.NDJSON);
    assertThat(StreamFormat.negotiate("application/jsonl")).isEqualTo(StreamFormat.NDJSON);
    assertThat(StreamFormat.negotiate("text/event-stream")).isEqualTo(StreamFormat.SSE);
    assertThat(StreamFormat.negotiate("text/event-stream, application/json")).isEqualTo(StreamFormat.SSE);
    assertThat(StreamFormat.negotiate("text/event-stream;q=0, application/x-ndjson")).isEqualTo(StreamFormat.NDJSON);
  }

  @Test
  void aJsonArrayIsWrittenElementByElementAndClosed() {
    String s = new String(StreamFormat.JSON_ARRAY.message(0, "{\"a\":1}"), StandardCharsets.UTF_8)
        + new String(StreamFormat.JSON_ARRAY.message(1, "{\"a\":2}"), StandardCharsets.UTF_8)
        + new String(StreamFormat.JSON_ARRAY.end(2), StandardCharsets.UTF_8);
    assertThat(s).isEqualTo("[{\"a\":1},{\"a\":2}]");
    assertThat(new String(StreamFormat.JSON_ARRAY.end(0), StandardCharsets.UTF_8)).isEqualTo("[]");
  }

  @Test
  void theErrorEventIsATypedProblem() {
    GatewayError e = GatewayError.of(GatewayError.Code.BAD_GATEWAY, "broken");
    assertThat(new String(StreamFormat.SSE.error(3, e, "/x"), StandardCharsets.UTF_8))
        .startsWith("event: error\ndata: {\"type\":\"urn:ficus:problem:bad-gateway\"").endsWith("}\n\n");
    assertThat(new String(StreamFormat.NDJSON.error(1, e, "/x"), StandardCharsets.UTF_8))
        .startsWith("{\"error\":{\"type\":\"urn:ficus:problem:bad-gateway\"").endsWith("}}\n");
    assertThat(new String(StreamFormat.JSON_ARRAY.error(0, e, "/x"), StandardCharsets.UTF_8))
        .startsWith("[{\"error\":").endsWith("}}]");
  }
}
