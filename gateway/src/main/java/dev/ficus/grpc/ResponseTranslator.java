package dev.ficus.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.Specs.GrpcBackendSpec;
import dev.ficus.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Renders reply messages as proto3 JSON (protobuf-java-util: int64 as strings, bytes as
 * base64, well-known types in their JSON forms, Any through the backend's type registry), with
 * the mapping's options (defaults, enum numbers, proto names). With {@code response_body} only
 * that field is returned; a {@code google.api.HttpBody} reply is returned as raw content with its
 * own media type. Compiled once per route; immutable and thread-safe.
 */
final class ResponseTranslator {
  /** A rendered reply: media type and bytes. */
  record Rendered(String contentType, byte[] body) {}

  private static final String JSON = "application/json";

  private final FieldDescriptor responseBody;
  private final boolean raw;
  private final JsonFormat.Printer printer;
  private final JsonFormat.Printer fieldPrinter;
  private final String fieldName;

  ResponseTranslator(Descriptor output, FieldDescriptor responseBody, JsonFormat.TypeRegistry types,
      GrpcBackendSpec.Json options) {
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

  Rendered render(Message reply) throws InvalidProtocolBufferException {
    if (raw) {
      Message hb = responseBody == null ? reply : (Message) reply.getField(responseBody);
      Descriptor d = hb.getDescriptorForType();
      String ct = (String) hb.getField(d.findFieldByName("content_type"));
      ByteString data = (ByteString) hb.getField(d.findFieldByName("data"));
      return new Rendered(ct.isEmpty() ? "application/octet-stream" : ct, data.toByteArray());
    }
    return new Rendered(JSON, json(reply).getBytes(StandardCharsets.UTF_8));
  }

  /** The reply (or its response_body) as JSON text. */
  String json(Message reply) throws InvalidProtocolBufferException {
    if (responseBody == null) {
      return printer.print(reply);
    }
    if (responseBody.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !responseBody.isRepeated()) {
      return printer.print((Message) reply.getField(responseBody));
    }
    Message only = reply.newBuilderForType().setField(responseBody, reply.getField(responseBody)).build();
    try {
      JsonNode n = Json.MAPPER.readTree(fieldPrinter.print(only)).get(fieldName);
      return n == null ? "null" : Json.MAPPER.writeValueAsString(n);
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    }
  }
}
