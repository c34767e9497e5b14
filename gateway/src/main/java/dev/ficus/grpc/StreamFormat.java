package dev.ficus.grpc;

import dev.ficus.error.GatewayError;
import dev.ficus.error.ProblemRenderer;
import dev.ficus.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How a server stream is written over HTTP/1.1 or HTTP/2, chosen by {@code Accept}: each
 * message is its plain proto3 JSON, with no envelope. A failure after the first message
 * cannot change the status any more, so it ends the stream as a typed error event: an
 * {@code {"error": problem}} line or array element, or an SSE event named {@code error}.
 */
enum StreamFormat {
  /** {@code application/x-ndjson}: one JSON value per line. */
  NDJSON("application/x-ndjson"),
  /** {@code text/event-stream}: each message a {@code data:} event with an increasing {@code id}. */
  SSE("text/event-stream"),
  /** {@code application/json} (the default): one JSON array, written element by element. */
  JSON_ARRAY("application/json");

  private static final ProblemRenderer PROBLEMS = new ProblemRenderer(Json.MAPPER);

  private final String mediaType;

  StreamFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  String mediaType() {
    return mediaType;
  }

  /** The format for an Accept header: NDJSON or SSE when asked for, else a JSON array. */
  static StreamFormat negotiate(String accept) {
    return negotiate(accept, JSON_ARRAY);
  }

  /** The format for an Accept header: the one it names first, else {@code otherwise}. */
  static StreamFormat negotiate(String accept, StreamFormat otherwise) {
    if (accept == null) {
      return otherwise;
    }
    String a = accept.toLowerCase(Locale.ROOT);
    int best = Integer.MAX_VALUE;
    StreamFormat chosen = otherwise;
    for (StreamFormat f : values()) {
      for (String alias : f.aliases()) {
        int i = a.indexOf(alias);
        if (i >= 0 && i < best && !refused(a, i)) {
          best = i;
          chosen = f;
        }
      }
    }
    return chosen;
  }

  private String[] aliases() {
    return switch (this) {
      case NDJSON -> new String[] {"application/x-ndjson", "application/ndjson", "application/jsonl",
          "application/jsonlines"};
      case SSE -> new String[] {"text/event-stream"};
      case JSON_ARRAY -> new String[] {"application/json"};
    };
  }

  /** A media range given with q=0 is refused. */
  private static boolean refused(String accept, int at) {
    int end = accept.indexOf(',', at);
    String range = end < 0 ? accept.substring(at) : accept.substring(at, end);
    return range.replace(" ", "").contains(";q=0") && !range.replace(" ", "").matches(".*;q=0\\.0*[1-9].*");
  }

  /** Bytes before message {@code index} (0-based) and the message itself. */
  byte[] message(int index, String json) {
    String s = switch (this) {
      case NDJSON -> json + "\n";
      case SSE -> "id: " + (index + 1) + "\ndata: " + json + "\n\n";
      case JSON_ARRAY -> (index == 0 ? "[" : ",") + json;
    };
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes that end a stream of {@code count} messages normally. */
  byte[] end(int count) {
    return switch (this) {
      case NDJSON, SSE -> new byte[0];
      case JSON_ARRAY -> (count == 0 ? "[]" : "]").getBytes(StandardCharsets.UTF_8);
    };
  }

  /** {@code {"error": problem}}: the typed error event of NDJSON, JSON arrays and WebSockets. */
  static String errorEvent(GatewayError e, String instance) {
    return "{\"error\":" + new String(PROBLEMS.render(e, instance), StandardCharsets.UTF_8) + "}";
  }

  /** Bytes that end a stream of {@code count} messages with an error event. */
  byte[] error(int count, GatewayError e, String instance) {
    String problem = new String(PROBLEMS.render(e, instance), StandardCharsets.UTF_8);
    String s = switch (this) {
      case NDJSON -> "{\"error\":" + problem + "}\n";
      case SSE -> "event: error\ndata: " + problem + "\n\n";
      case JSON_ARRAY -> (count == 0 ? "[" : ",") + "{\"error\":" + problem + "}]";
    };
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
