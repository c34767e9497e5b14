package dev.ficus.grpc;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayError.FieldError;
import dev.ficus.error.GatewayException;
import dev.ficus.http.Json;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the request message of one route from an HTTP request, in the order of the gRPC
 * transcoding rules: the body (the whole message for {@code body: "*"}, one field for
 * {@code body: "field"}, raw bytes for {@code google.api.HttpBody}), then query parameters
 * (dotted field paths, repeated by repeating them; only fields the path and body do not fill;
 * none when the body is the whole message), then mapped headers, then path variables, which
 * win. Proto3 JSON with protobuf-java-util, after a strict syntax check (duplicate keys,
 * trailing data). Every value that does not fit is reported in one 400. Compiled once per
 * route; immutable and thread-safe; runs on any thread (CPU only, bounded by the body limit).
 */
final class RequestTranslator {
  enum BodyKind { NONE, WHOLE, FIELD }

  /**
   * Path variable {@code variable} (index into the template's variables), spelt {@code name} in
   * the route, fills {@code path}; errors name the variable, as the client sees the route.
   */
  record PathBinding(int variable, String name, FieldPath path) {}

  /** A named query parameter or header fills {@code path}. */
  record ValueBinding(String name, FieldPath path) {}

  /** What a request offers besides its body. */
  record Inputs(String[] pathValues, Map<String, Deque<String>> query, HeaderMap headers) {}

  private final Descriptor input;
  private final List<PathBinding> path;
  private final BodyKind body;
  private final FieldDescriptor bodyField;
  private final boolean rawBody;
  private final List<ValueBinding> query;
  private final List<ValueBinding> headers;
  private final Set<String> queryNames;
  private final boolean openQuery;
  private final List<FieldPath> bound;
  private final JsonFormat.Parser parser;
  private final boolean rejectUnknown;
  private final boolean checkRequired;

  RequestTranslator(Descriptor input, List<PathBinding> path, BodyKind body, FieldDescriptor bodyField,
      List<ValueBinding> query, List<ValueBinding> headers, JsonFormat.TypeRegistry types, boolean rejectUnknown) {
    this.input = input;
    this.path = List.copyOf(path);
    this.body = body;
    this.bodyField = bodyField;
    Descriptor bodyType = body == BodyKind.WHOLE ? input
        : body == BodyKind.FIELD && bodyField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            && !bodyField.isRepeated() ? bodyField.getMessageType() : null;
    this.rawBody = bodyType != null && bodyType.getFullName().equals("google.api.HttpBody");
    this.query = List.copyOf(query);
    this.headers = List.copyOf(headers);
    this.queryNames = Set.copyOf(query.stream().map(ValueBinding::name).toList());
    this.openQuery = body != BodyKind.WHOLE;
    List<FieldPath> b = new ArrayList<>();
    path.forEach(p -> b.add(p.path()));
    query.forEach(q -> b.add(q.path()));
    headers.forEach(h -> b.add(h.path()));
    if (body == BodyKind.FIELD) {
      b.add(new FieldPath(bodyField.getName(), List.of(bodyField)));
    }
    this.bound = List.copyOf(b);
    JsonFormat.Parser p = JsonFormat.parser().usingTypeRegistry(types);
    this.parser = rejectUnknown ? p : p.ignoringUnknownFields();
    this.rejectUnknown = rejectUnknown;
    this.checkRequired = hasRequired(input, new java.util.HashSet<>());
  }

  boolean usesBody() {
    return body != BodyKind.NONE;
  }

  /** The body is raw content ({@code google.api.HttpBody}), taken with any media type. */
  boolean rawBody() {
    return rawBody;
  }

  Descriptor input() {
    return input;
  }

  /** The request message; {@code bodyBytes} may be null or empty. Throws {@link GatewayException} (400). */
  DynamicMessage build(Inputs in, byte[] bodyBytes, String contentType) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(input);
    if (body != BodyKind.NONE && bodyBytes != null && (bodyBytes.length > 0 || rawBody)) {
      if (rawBody) {
        raw(b, bodyBytes, contentType);
      } else {
        json(b, new String(bodyBytes, StandardCharsets.UTF_8), "");
      }
    }
    fill(b, in);
    return done(b);
  }

  /** One message of a client stream: {@code element} is one JSON value of the body (already checked). */
  DynamicMessage buildElement(Inputs in, String element, String pointer) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(input);
    merge(b, element, pointer);
    fill(b, in);
    return done(b);
  }

  /** The message; its initialization is only checked when the type has required fields (proto2). */
  private DynamicMessage done(DynamicMessage.Builder b) {
    return checkRequired ? b.build() : b.buildPartial();
  }

  private static boolean hasRequired(Descriptor d, Set<Descriptor> seen) {
    if (!seen.add(d)) {
      return false;
    }
    for (FieldDescriptor f : d.getFields()) {
      if (f.isRequired() || (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && hasRequired(f.getMessageType(), seen))) {
        return true;
      }
    }
    return false;
  }

  private void fill(DynamicMessage.Builder b, Inputs in) {
    List<FieldError> errors = new ArrayList<>();
    query(b, in.query(), errors);
    for (ValueBinding h : headers) {
      HeaderValues v = in.headers().get(h.name());
      if (v != null && !v.isEmpty()) {
        values(b, h.path(), v, "header:" + h.name(), errors);
      }
    }
    for (PathBinding p : path) {
      String v = in.pathValues()[p.variable()];
      try {
        p.path().set(b, TextValues.parse(p.path().leaf(), v));
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("path:" + p.name(), e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw new GatewayException(GatewayError.invalid(errors.size() == 1
          ? "Invalid " + errors.get(0).pointer().replace(':', ' ') + ": " + errors.get(0).detail()
          : "Invalid request parameters", errors));
    }
  }

  private void query(DynamicMessage.Builder b, Map<String, Deque<String>> params, List<FieldError> errors) {
    for (Map.Entry<String, Deque<String>> q : params.entrySet()) {
      String name = q.getKey();
      String where = "query:" + name;
      ValueBinding explicit = explicitQuery(name);
      if (explicit != null) {
        values(b, explicit.path(), q.getValue(), where, errors);
        continue;
      }
      if (!openQuery) {
        if (rejectUnknown) {
          errors.add(new FieldError(where, "is not a parameter of this operation (the body is the whole request)"));
        }
        continue;
      }
      FieldPath fp;
      try {
        fp = FieldPath.resolve(input, name);
      } catch (IllegalArgumentException e) {
        if (rejectUnknown) {
          errors.add(new FieldError(where, "is not a parameter of this operation: " + e.getMessage()));
        }
        continue;
      }
      if (!TextValues.isTextual(fp.leaf())) {
        errors.add(new FieldError(where, "'" + fp.leaf().getName() + "' is "
            + (fp.leaf().isMapField() ? "a map" : "a message") + "; give its fields instead, e.g. "
            + name + ".FIELD"));
        continue;
      }
      if (boundElsewhere(fp)) {
        errors.add(new FieldError(where, "is already given by the path or body of this route"));
        continue;
      }
      values(b, fp, q.getValue(), where, errors);
    }
  }

  private ValueBinding explicitQuery(String name) {
    if (!queryNames.contains(name)) {
      return null;
    }
    for (ValueBinding v : query) {
      if (v.name().equals(name)) {
        return v;
      }
    }
    return null;
  }

  private boolean boundElsewhere(FieldPath fp) {
    for (FieldPath p : bound) {
      if (p.overlaps(fp)) {
        return true;
      }
    }
    return false;
  }

  private static void values(Message.Builder b, FieldPath fp, java.util.Collection<String> values, String where,
      List<FieldError> errors) {
    if (!fp.leaf().isRepeated() && values.size() > 1) {
      errors.add(new FieldError(where, "given " + values.size() + " times; it takes one value"));
      return;
    }
    for (String v : values) {
      try {
        fp.set(b, TextValues.parse(fp.leaf(), v));
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError(where, e.getMessage()));
      }
    }
  }

  private void raw(DynamicMessage.Builder b, byte[] bytes, String contentType) {
    Descriptor httpBody = body == BodyKind.WHOLE ? input : bodyField.getMessageType();
    DynamicMessage.Builder hb = DynamicMessage.newBuilder(httpBody);
    hb.setField(httpBody.findFieldByName("content_type"), contentType == null ? "application/octet-stream"
        : contentType);
    hb.setField(httpBody.findFieldByName("data"), ByteString.copyFrom(bytes));
    if (body == BodyKind.WHOLE) {
      b.mergeFrom(hb.build());
    } else {
      b.setField(bodyField, hb.build());
    }
  }

  /** Strictly checks {@code text} as one JSON value, then merges it as the body. */
  private void json(DynamicMessage.Builder b, String text, String pointer) {
    checkSyntax(text);
    merge(b, text, pointer);
  }

  private void merge(DynamicMessage.Builder b, String text, String pointer) {
    List<FieldError> bounds = new ArrayList<>();
    if (body == BodyKind.FIELD && !(bodyField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !bodyField.isRepeated())) {
      ProtoJsonNumbers.check(text, null, bodyField, pointer, bounds);
    } else {
      ProtoJsonNumbers.check(text, body == BodyKind.FIELD ? bodyField.getMessageType() : input, null, pointer, bounds);
    }
    if (!bounds.isEmpty()) {
      throw new GatewayException(GatewayError.invalid(bounds.size() == 1
          ? "The body does not fit: " + bounds.get(0).pointer() + " " + bounds.get(0).detail()
          : "The body does not fit (" + bounds.size() + " problems)", bounds));
    }
    try {
      if (body == BodyKind.FIELD) {
        if (bodyField.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !bodyField.isRepeated()) {
          Message.Builder sub = b.newBuilderForField(bodyField);
          parser.merge(text, sub);
          NegativeZeroFields.restore(sub, text);
          b.setField(bodyField, sub.build());
        } else {
          // A scalar, list or map body: let the parser read it as that field's value. The text
          // is one checked JSON value, so wrapping it cannot smuggle in other fields.
          String wrapped = "{\"" + bodyField.getJsonName() + "\":" + text + "}";
          parser.merge(wrapped, b);
          NegativeZeroFields.restore(b, wrapped);
        }
      } else {
        parser.merge(text, b);
        NegativeZeroFields.restore(b, text);
      }
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // The parser names no member; find the ones at fault, with the parser's own verdict on each.
      boolean message = body != BodyKind.FIELD || (bodyField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !bodyField.isRepeated());
      List<FieldError> faults = body != BodyKind.FIELD
          ? BodyFaults.ofMessage(text, input, pointer, parser, rejectUnknown)
          : BodyFaults.ofField(text, input, bodyField, pointer, parser, rejectUnknown);
      String type = body == BodyKind.FIELD ? bodyField.getName() + " (" + (message
          ? bodyField.getMessageType().getFullName() : bodyField.getType()) + ")" : input.getFullName();
      if (faults.isEmpty()) {
        String msg = e.getMessage() == null ? "it does not fit the message" : e.getMessage();
        faults = List.of(new FieldError(pointer.isEmpty() ? "/" : pointer, msg));
      }
      throw new GatewayException(GatewayError.invalid(faults.size() == 1
          ? "The body does not fit " + type + ": " + faults.get(0).pointer() + ": " + faults.get(0).detail()
          : "The body does not fit " + type + " (" + faults.size() + " problems)", faults));
    }
  }

  /** One JSON value, no duplicate keys, nothing after it; a 400 with line and column otherwise. */
  static void checkSyntax(String text) {
    try (JsonParser p = Json.MAPPER.createParser(text)) {
      if (p.nextToken() == null) {
        throw new GatewayException(GatewayError.of(GatewayError.Code.MALFORMED_JSON, "The body is empty"));
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        JsonLocation l = p.currentTokenLocation();
        throw new GatewayException(GatewayError.of(GatewayError.Code.MALFORMED_JSON,
            "The body is not valid JSON at line " + l.getLineNr() + ", column " + l.getColumnNr()
                + ": more data after the first value"));
      }
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String where = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
      throw new GatewayException(GatewayError.of(GatewayError.Code.MALFORMED_JSON,
          "The body is not valid JSON" + where + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new GatewayException(GatewayError.of(GatewayError.Code.MALFORMED_JSON, "The body cannot be read"));
    }
  }
}
