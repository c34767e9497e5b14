package dev.ficus.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.RetryInfo;
import dev.ficus.error.GatewayError;
import dev.ficus.http.Json;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a gRPC status (and its {@code grpc-status-details-bin} trailer) into the gateway's
 * one error model. The HTTP status comes from {@link GrpcCodes}, unless the operation maps the
 * code to another status; the problem carries {@code grpcStatus}, {@code grpcCode} and the
 * {@code google.rpc.Status} details as proto3 JSON (each with its {@code @type}); BadRequest
 * field violations also become the problem's {@code errors}, RetryInfo becomes
 * {@code Retry-After}. A backend that cannot be reached is 503, a reply over the gateway's limit
 * ({@link ReplyLimit}) 502, not retryable.
 *
 * <p>{@code DEADLINE_EXCEEDED} is 504 either way, but says who gave up: the gateway, when its
 * own deadline for the call has passed (its wording; the status's description is transport
 * detail), or the backend, when the status arrived before that deadline — the backend's answer,
 * often its own deadline on a call further down, whose message is kept. Neither transport marks
 * which side made the status (grpc-java strips {@code grpc-status} from the trailers it hands
 * over, and a deadline the backend enforces from {@code grpc-timeout} comes from the backend),
 * so the time decides: a status within {@link #DEADLINE_SLACK_NANOS} of the deadline is the
 * gateway's (timer granularity). Immutable; thread-safe.
 */
final class StatusTranslator {
  /** The problem, plus the Retry-After delay in whole seconds (or -1). */
  record Failure(GatewayError error, long retryAfterSeconds) {}

  /** A DEADLINE_EXCEEDED this close to the gateway's deadline is the gateway's (timers are not exact). */
  static final long DEADLINE_SLACK_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20);

  private final String operation;
  private final java.time.Duration timeout;
  private final Map<Status.Code, Integer> overrides;
  private final JsonFormat.Printer details;

  StatusTranslator(String operation, java.time.Duration timeout, Map<Status.Code, Integer> overrides,
      JsonFormat.TypeRegistry types) {
    this.operation = operation;
    this.timeout = timeout;
    this.overrides = overrides.isEmpty() ? Map.of() : new EnumMap<>(overrides);
    this.details = JsonFormat.printer().usingTypeRegistry(types).omittingInsignificantWhitespace();
  }

  /**
   * The problem for {@code status} (not OK) and its {@code trailers} (may be null), of a call the
   * gateway started at {@code startedNanos} ({@link System#nanoTime}).
   */
  Failure translate(Status status, Metadata trailers, long startedNanos) {
    Status.Code code = status.getCode();
    long limit = ReplyLimit.exceededLimit(status);
    if (limit >= 0) {
      // The gateway's own limit, not the backend's quota: the same call would get the same reply.
      return new Failure(new GatewayError(GatewayError.Code.BAD_GATEWAY, 502, GatewayError.Code.BAD_GATEWAY.title(),
          "The backend's reply to " + operation + " is larger than " + limit + " bytes (limits.maxResponseSize)",
          false, null, null, null), -1);
    }
    // UNAVAILABLE with a cause is the client side failing to connect (refused, TLS handshake…);
    // its description is transport detail. A backend's own UNAVAILABLE carries no cause.
    if (code == Status.Code.UNAVAILABLE && status.getCause() != null) {
      return new Failure(GatewayError.of(GatewayError.Code.BACKEND_UNAVAILABLE,
          "The backend of " + operation + " cannot be reached").withStatus(status(code)), -1);
    }
    com.google.rpc.Status rich = trailers == null ? null : StatusProto.fromStatusAndTrailers(status, trailers);
    List<GatewayError.FieldError> errors = new ArrayList<>();
    ArrayNode rendered = Json.MAPPER.createArrayNode();
    long retryAfter = -1;
    if (rich != null) {
      for (Any d : rich.getDetailsList()) {
        rendered.add(render(d));
        try {
          if (d.is(BadRequest.class)) {
            for (BadRequest.FieldViolation v : d.unpack(BadRequest.class).getFieldViolationsList()) {
              errors.add(new GatewayError.FieldError(pointer(v.getField()), v.getDescription()));
            }
          } else if (d.is(RetryInfo.class)) {
            var delay = d.unpack(RetryInfo.class).getRetryDelay();
            retryAfter = delay.getSeconds() + (delay.getNanos() > 0 ? 1 : 0);
          }
        } catch (InvalidProtocolBufferException e) {
          // a malformed detail is still rendered (as far as it goes) but not interpreted
        }
      }
    }
    boolean ownDeadline = code == Status.Code.DEADLINE_EXCEEDED
        && System.nanoTime() - startedNanos > timeout.toNanos() - DEADLINE_SLACK_NANOS;
    // The type says who gave up: gateway-timeout is the gateway's deadline, a backend's own
    // DEADLINE_EXCEEDED is one of its statuses (still 504).
    GatewayError.Code kind = code == Status.Code.UNAVAILABLE ? GatewayError.Code.BACKEND_UNAVAILABLE
        : ownDeadline ? GatewayError.Code.GATEWAY_TIMEOUT : GatewayError.Code.BACKEND_FAULT;
    String said = status.getDescription();
    // The client-side deadline's own description lists transport internals; say what happened.
    String detail = ownDeadline
        ? "The backend did not answer " + operation + " within " + timeout.toMillis() + " ms"
        : code == Status.Code.DEADLINE_EXCEEDED ? "The backend gave up on " + operation
            + " (DEADLINE_EXCEEDED, before the gateway's deadline of " + timeout.toMillis() + " ms)"
            + (said != null ? ": " + said : "")
        // The same words whichever transport saw the reset, and whatever the backend said.
        : code == Status.Code.CANCELLED ? "The backend cancelled " + operation + (said != null ? " (" + said + ")" : "")
        : said != null ? said : operation + " failed with " + code;
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("grpcStatus", code.name());
    ext.put("grpcCode", code.value());
    if (said != null && !ownDeadline) {
      ext.put("grpcMessage", said);
    }
    if (!rendered.isEmpty()) {
      ext.put("details", rendered);
    }
    GatewayError e = new GatewayError(kind, status(code), GrpcCodes.title(code), detail, GrpcCodes.retryable(code),
        errors, ext, null);
    return new Failure(e, retryAfter);
  }

  private int status(Status.Code code) {
    Integer o = overrides.get(code);
    return o != null ? o : GrpcCodes.httpStatus(code);
  }

  private JsonNode render(Any detail) {
    try {
      return Json.MAPPER.readTree(details.print(detail));
    } catch (IOException e) {
      // A type the registry does not know: keep its name and raw bytes rather than drop it.
      var n = Json.MAPPER.createObjectNode();
      n.put("@type", detail.getTypeUrl());
      n.put("value", java.util.Base64.getEncoder().encodeToString(detail.getValue().toByteArray()));
      return n;
    }
  }

  /** {@code items[2].sku} → {@code /items/2/sku}: BadRequest field paths as JSON pointers. */
  static String pointer(String field) {
    if (field.isEmpty()) {
      return "/";
    }
    StringBuilder sb = new StringBuilder();
    for (String part : field.split("\\.")) {
      String name = part;
      List<String> indexes = new ArrayList<>();
      int b = name.indexOf('[');
      if (b > 0 && name.endsWith("]")) {
        for (String i : name.substring(b + 1, name.length() - 1).split("\\]\\[")) {
          indexes.add(i);
        }
        name = name.substring(0, b);
      }
      sb.append('/').append(name.replace("~", "~0").replace("/", "~1"));
      indexes.forEach(i -> sb.append('/').append(i));
    }
    return sb.toString();
  }
}
