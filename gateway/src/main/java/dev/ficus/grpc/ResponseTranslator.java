package dev.ficus.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.Specs.GrpcBackendSpec;
import dev.ficus.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders reply messages, as gRPC delivers them (wire bytes), as proto3 JSON (int64 as strings,
 * bytes as base64, well-known types in their JSON forms, Any through the backend's type
 * registry), with the mapping's options (defaults, enum numbers, proto names). With
 * {@code response_body} only that field is returned; a {@code google.api.HttpBody} reply is
 * returned as raw content with its own media type.
 *
 * <p>Replies are written straight from their bytes by {@link WireJson}; a reply it does not
 * take (not in canonical wire form, or of a type with groups or required fields) is parsed
 * into a {@code DynamicMessage} and printed by protobuf-java-util's {@code JsonFormat}, which
 * gives the same JSON. Compiled once per route; immutable and thread-safe.
 */
final class ResponseTranslator {
  /** A rendered reply: media type and bytes. */
  record Rendered(String contentType, byte[] body) {}

  private static final String JSON = "application/json";
  private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final Descriptor output;
  private final FieldDescriptor responseBody;
  private final boolean raw;
  /** The direct writer; null when the reply type needs the general path. */
  private final WireJson wire;
  private final JsonFormat.Printer printer;
  private final JsonFormat.Printer fieldPrinter;
  private final String fieldName;

  ResponseTranslator(Descriptor output, FieldDescriptor responseBody, JsonFormat.TypeRegistry types,
      GrpcBackendSpec.Json options) {
    this.output = output;
    this.responseBody = responseBody;
    Descriptor shown = responseBody == null ? output
        : responseBody.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !responseBody.isRepeated()
            ? responseBody.getMessageType() : null;
    this.raw = shown != null && shown.getFullName().equals("google.api.HttpBody");
    this.printer = printer(types, options);
    // A scalar or list response_body is printed as a one-field message, always with its value.
    this.fieldPrinter = responseBody == null ? null
        : options.emitDefaults() ? printer : printer.includingDefaultValueFields(Set.of(responseBody));
    this.fieldName = responseBody == null ? null
        : options.originalNames() ? responseBody.getName() : responseBody.getJsonName();
    this.wire = raw ? null : WireJson.forType(output, types, options);
  }

  static JsonFormat.Printer printer(JsonFormat.TypeRegistry types, GrpcBackendSpec.Json options) {
    JsonFormat.Printer p = JsonFormat.printer().usingTypeRegistry(types).omittingInsignificantWhitespace();
    if (options.emitDefaults()) {
      p = p.alwaysPrintFieldsWithNoPresence();
    }
    if (options.enumsAsNumbers()) {
      p = p.printingEnumsAsInts();
    }
    if (options.originalNames()) {
      p = p.preservingProtoFieldNames();
    }
    return p;
  }

  boolean raw() {
    return raw;
  }

  /** The reply in {@code wire} as the HTTP answer. Throws when the bytes are not a valid reply. */
  Rendered render(byte[] wire) throws InvalidProtocolBufferException {
    if (raw) {
      Message reply = DynamicMessage.parseFrom(output, wire);
      Message hb = responseBody == null ? reply : (Message) reply.getField(responseBody);
      Descriptor d = hb.getDescriptorForType();
      String ct = (String) hb.getField(d.findFieldByName("content_type"));
      ByteString data = (ByteString) hb.getField(d.findFieldByName("data"));
      return new Rendered(ct.isEmpty() ? "application/octet-stream" : ct, data.toByteArray());
    }
    return new Rendered(JSON, jsonBytes(wire));
  }

  /** The reply in {@code wire} (or its response_body) as JSON text. */
  String json(byte[] wire) throws InvalidProtocolBufferException {
    return new String(jsonBytes(wire), StandardCharsets.UTF_8);
  }

  private byte[] jsonBytes(byte[] bytes) throws InvalidProtocolBufferException {
    if (wire != null) {
      try {
        return responseBody == null ? wire.write(bytes) : wire.writeField(bytes, responseBody);
      } catch (WireJson.Irregular e) {
        // Not the canonical form (or not a valid message): the general path decides.
      }
    }
    Message reply = lastKeyWins(DynamicMessage.parseFrom(output, bytes));
    try {
      return json(reply).getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // A value JSON cannot hold (a Timestamp out of range, a Value of NaN): the reply is at fault.
      throw new InvalidProtocolBufferException(e.getMessage());
    }
  }

  /**
   * {@code m} with each map holding a key once, with its last value, as the protobuf rules say
   * (a DynamicMessage keeps every entry on the wire, and JsonFormat would print a key twice).
   */
  static Message lastKeyWins(Message m) {
    Message.Builder b = null;
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      Object v = e.getValue();
      Object fixed;
      if (f.isMapField()) {
        Map<Object, Message> byKey = new LinkedHashMap<>();
        FieldDescriptor key = f.getMessageType().findFieldByNumber(1);
        for (Object entry : (List<?>) v) {
          Message em = lastKeyWins((Message) entry);
          byKey.put(em.getField(key), em);
        }
        fixed = new ArrayList<>(byKey.values());
      } else if (f.isRepeated()) {
        List<Object> list = new ArrayList<>();
        for (Object x : (List<?>) v) {
          list.add(lastKeyWins((Message) x));
        }
        fixed = list;
      } else {
        fixed = lastKeyWins((Message) v);
      }
      if (!fixed.equals(v)) {
        b = b == null ? m.toBuilder() : b;
        b.setField(f, fixed);
      }
    }
    return b == null ? m : b.build();
  }

  /** The reply (or its response_body) as JSON text, through {@code JsonFormat}. */
  String json(Message reply) throws InvalidProtocolBufferException {
    if (responseBody == null) {
      return printer.print(reply);
    }
    if (responseBody.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !responseBody.isRepeated()) {
      return printer.print((Message) reply.getField(responseBody));
    }
    Message only = reply.newBuilderForType().setField(responseBody, reply.getField(responseBody)).build();
    try {
      // A plain mapper: numbers stay doubles (the gateway's mapper reads them as BigDecimal and
      // would write 1.0E10 as 10000000000).
      JsonNode n = PLAIN.readTree(fieldPrinter.print(only)).get(fieldName);
      return n == null ? "null" : PLAIN.writeValueAsString(n);
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    }
  }
}
