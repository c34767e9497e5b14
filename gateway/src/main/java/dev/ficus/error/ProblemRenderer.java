package dev.ficus.error;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders a {@link GatewayError} as an RFC 9457 problem document. The one place where errors
 * become bytes on the wire. Thread-safe, stateless apart from the shared mapper.
 */
public final class ProblemRenderer {
  public static final String MEDIA_TYPE = "application/problem+json";

  private final ObjectMapper mapper;

  public ProblemRenderer(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The problem document; {@code instance} is the request path (may be null). */
  public byte[] render(GatewayError e, String instance) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", e.code().typeUri());
      g.writeStringField("title", e.title());
      g.writeNumberField("status", e.status());
      if (e.detail() != null) {
        g.writeStringField("detail", e.detail());
      }
      if (instance != null) {
        g.writeStringField("instance", instance);
      }
      g.writeBooleanField("retryable", e.retryable());
      if (!e.errors().isEmpty()) {
        g.writeArrayFieldStart("errors");
        for (GatewayError.FieldError fe : e.errors()) {
          g.writeStartObject();
          g.writeStringField("pointer", fe.pointer());
          g.writeStringField("detail", fe.detail());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      for (Map.Entry<String, Object> x : e.extensions().entrySet()) {
        g.writeFieldName(x.getKey());
        Object v = x.getValue();
        if (v instanceof JsonNode n) {
          g.writeTree(n);
        } else {
          g.writeObject(v);
        }
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }
}
