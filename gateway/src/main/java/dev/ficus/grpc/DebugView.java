package dev.ficus.grpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ficus.config.Specs.GrpcBackendSpec;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import dev.ficus.http.Json;
import io.grpc.Metadata;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The dry-run view of a gRPC mapping ({@code backend.grpc.debug}): a request that carries
 * {@code Ficus-Debug: request} is answered {@code 200 application/json} with the gRPC request
 * the gateway would send for it — the full method name, the target and transport, the deadline,
 * the request message (or, for a client stream, the messages) as proto3 JSON, and the metadata
 * the mapping's {@link MetadataPolicy} lets through — and the backend is not called.
 *
 * <p>Why a dry run and not a log line: the person checking field placement is the one sending
 * the request, and the answer shows exactly what was built from it, with no access to the
 * gateway's logs. Off unless the mapping enables it, so a client alone cannot turn it on; with it
 * off the header means nothing (it is not even read). Values of credential-like headers
 * ({@code authorization}, {@code cookie}, {@code x-api-key}, any name holding {@code auth},
 * {@code token}, {@code secret}, {@code passw}, {@code session}, {@code credential},
 * {@code api-key}, {@code apikey}, {@code cookie} or {@code signature}) and of the mapping's
 * {@code debug.redact} names are replaced by {@code "[redacted]"}. The answer holds nothing the
 * request did not bring, and is bounded by the gateway's body and header limits (a message's
 * JSON is at most a few times its body). Immutable; thread-safe.
 */
final class DebugView {
  /** The request header that asks for the view. */
  static final HttpString HEADER = new HttpString("Ficus-Debug");
  /** Its one value. */
  static final String REQUEST = "request";
  static final String REDACTED = "[redacted]";
  private static final Set<String> SECRET_NAMES = Set.of("authorization", "proxy-authorization", "cookie",
      "x-api-key");
  private static final List<String> SECRET_WORDS = List.of("auth", "token", "secret", "passw", "session",
      "credential", "api-key", "apikey", "cookie", "signature");

  private final JsonFormat.Printer printer;
  /** The mapping's {@code debug.redact}: exact names, and prefixes (ending in *). */
  private final List<String> redactExact;
  private final List<String> redactPrefixes;

  private DebugView(JsonFormat.Printer printer, List<String> redactExact, List<String> redactPrefixes) {
    this.printer = printer;
    this.redactExact = List.copyOf(redactExact);
    this.redactPrefixes = List.copyOf(redactPrefixes);
  }

  /**
   * The view of a mapping, or null when {@code spec} is null (off). Names in {@code redact} that
   * are not header names are reported to {@code problem}.
   */
  static DebugView compile(GrpcBackendSpec.Debug spec, JsonFormat.TypeRegistry types, Consumer<String> problem) {
    if (spec == null) {
      return null;
    }
    List<String> exact = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (String raw : spec.redact()) {
      String n = raw.trim().toLowerCase(Locale.ROOT);
      boolean prefix = n.endsWith("*");
      String name = prefix ? n.substring(0, n.length() - 1) : n;
      if (!name.matches("[a-z0-9][a-z0-9_.\\-]*")) {
        problem.accept("'" + raw + "' is not a header name (letters, digits, - _ . and an optional final *)");
      } else {
        (prefix ? prefixes : exact).add(name);
      }
    }
    // Canonical proto3 JSON: what the backend decodes, fields at their defaults left out as on the wire.
    return new DebugView(JsonFormat.printer().usingTypeRegistry(types).omittingInsignificantWhitespace(), exact,
        prefixes);
  }

  /**
   * Whether the request asks for the view. IO thread.
   *
   * @throws GatewayException (400) when the header has another value than {@code request}
   */
  static boolean asked(HeaderMap headers) {
    String v = headers.getFirst(HEADER);
    if (v == null) {
      return false;
    }
    if (v.trim().equalsIgnoreCase(REQUEST) && headers.count(HEADER) == 1) {
      return true;
    }
    throw new GatewayException(GatewayError.invalid("Ficus-Debug takes one value, 'request' (the gRPC request "
        + "this call would send, without sending it)", List.of(new GatewayError.FieldError("header:ficus-debug",
        "must be 'request'"))));
  }

  /** Whether the value of header {@code name} is masked. */
  boolean secret(String name) {
    if (SECRET_NAMES.contains(name) || redactExact.contains(name)) {
      return true;
    }
    for (String w : SECRET_WORDS) {
      if (name.contains(w)) {
        return true;
      }
    }
    for (String p : redactPrefixes) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The JSON answer. {@code messages} holds the one request message, or a client stream's
   * messages when {@code stream} is true; {@code md} is the metadata of the call (before the
   * transport adds {@code content-type}, {@code te}, {@code user-agent}, {@code grpc-timeout} and, on
   * the direct client, {@code content-length}).
   * CPU only.
   *
   * @throws InvalidProtocolBufferException when a message cannot be printed (an Any of an unknown type)
   */
  byte[] render(String method, String target, String transport, long timeoutMillis, List<DynamicMessage> messages,
      boolean stream, Metadata md) throws InvalidProtocolBufferException {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("dryRun", true);
    root.put("method", method);
    root.put("target", target);
    root.put("transport", transport);
    root.put("timeout", timeoutMillis + "ms");
    if (stream) {
      ArrayNode all = root.putArray("messages");
      for (DynamicMessage m : messages) {
        all.addRawValue(new RawValue(printer.print(m)));
      }
    } else {
      // Raw, so that the JSON is the printer's own (numbers exactly as proto3 JSON writes them).
      root.putRawValue("message", new RawValue(printer.print(messages.get(0))));
    }
    ObjectNode meta = root.putObject("metadata");
    for (Map.Entry<String, List<String>> e : values(md).entrySet()) {
      ArrayNode vs = meta.putArray(e.getKey());
      e.getValue().forEach(vs::add);
    }
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** Each key's values, sorted by name: text as is, binary as padded base64, secrets masked. */
  private Map<String, List<String>> values(Metadata md) {
    Map<String, List<String>> out = new TreeMap<>();
    for (String key : md.keys()) {
      List<String> vs = new ArrayList<>();
      boolean masked = secret(key);
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        for (byte[] b : md.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
          vs.add(masked ? REDACTED : Base64.getEncoder().encodeToString(b));
        }
      } else {
        for (String s : md.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
          vs.add(masked ? REDACTED : s);
        }
      }
      out.put(key, vs);
    }
    return out;
  }
}
