package dev.ficus.error;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one error model of the gateway: every failure, whether the client sent bad input or a
 * backend misbehaved, becomes one immutable {@code GatewayError} and is rendered in one place
 * ({@link ProblemRenderer}) as RFC 9457 {@code application/problem+json}.
 *
 * <p>{@code retryable} says whether the same request may succeed if sent again unchanged
 * (a timeout or refused connection: yes; a malformed body: no). {@code extensions} carries typed
 * extra members of the problem document (field errors, SOAP fault code and detail); it is
 * rendered as-is and never contains stack traces.
 */
public record GatewayError(
    Code code, int status, String title, String detail, boolean retryable,
    List<FieldError> errors, Map<String, Object> extensions, List<String> allow) {

  /** Canonical failure kinds. Each has a default HTTP status and a retry rule. */
  public enum Code {
    /** The body is not well-formed JSON. Not retryable. */
    MALFORMED_JSON(400, "Malformed JSON", false),
    /**
     * The request is not well-formed HTTP/1.1 (its framing, request line or header fields), and
     * its connection is closed. Not retryable.
     */
    MALFORMED_REQUEST(400, "Malformed request", false),
    /** The request is well-formed but does not fit the schema. Not retryable. */
    INVALID_REQUEST(400, "Invalid request", false),
    /**
     * The request carries no valid credentials for this route; answered with a
     * {@code WWW-Authenticate} challenge. Not retryable as sent.
     */
    UNAUTHORIZED(401, "Unauthorized", false),
    /** The caller (its address, consumer or scopes) may not call this route. Not retryable. */
    FORBIDDEN(403, "Forbidden", false),
    /** The request is well-formed but cannot be processed as it stands (a rejected configuration). Not retryable. */
    UNPROCESSABLE(422, "Unprocessable content", false),
    /** The route needs another protocol (a WebSocket); answered with {@code Upgrade}. Not retryable as sent. */
    UPGRADE_REQUIRED(426, "Upgrade required", false),
    /** The caller is over a rate limit; retry after {@code Retry-After}. */
    TOO_MANY_REQUESTS(429, "Too many requests", true),
    /** No route has this path. Not retryable. */
    NOT_FOUND(404, "Not found", false),
    /** A route has this path but not this method. Not retryable. */
    METHOD_NOT_ALLOWED(405, "Method not allowed", false),
    /**
     * The request body stopped arriving, or arrived too slowly ({@code limits.bodyTimeout},
     * {@code limits.minBodyRate}). Retry may help: the client or its network was slow.
     */
    REQUEST_TIMEOUT(408, "Request timeout", true),
    /** The body exceeds the configured limit. Not retryable. */
    PAYLOAD_TOO_LARGE(413, "Payload too large", false),
    /** The request head has more bytes or header fields than the limits allow. Not retryable. */
    REQUEST_HEAD_TOO_LARGE(431, "Request header fields too large", false),
    /** The body's media type is not accepted by the route. Not retryable. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", false),
    /** The request body's framing is malformed, or the body ended before its declared end. Not retryable as sent. */
    MALFORMED_BODY(400, "Malformed request body", false),
    /** The backend answered with a declared business fault, mapped to a status by the mapping. */
    BACKEND_FAULT(500, "Backend fault", false),
    /** The backend answered, but with something that is not a valid reply. Retry may help. */
    BAD_GATEWAY(502, "Bad gateway", true),
    /** The backend could not be reached. Retry may help. */
    BACKEND_UNAVAILABLE(502, "Backend unavailable", true),
    /**
     * The gateway is at a bound of its own (the memory for request bodies being read,
     * {@code limits.maxBodyMemory}) and refused the request before doing any work for it. Retry
     * may help, after {@code Retry-After}.
     */
    OVERLOADED(503, "Gateway overloaded", true),
    /** The backend did not answer within the operation's timeout. Retry may help. */
    GATEWAY_TIMEOUT(504, "Gateway timeout", true),
    /** A bug in the gateway. Retry may help; the detail never contains a stack trace. */
    INTERNAL(500, "Internal gateway error", true);

    private final int status;
    private final String title;
    private final boolean retryable;

    Code(int status, String title, boolean retryable) {
      this.status = status;
      this.title = title;
      this.retryable = retryable;
    }

    public int status() {
      return status;
    }

    public String title() {
      return title;
    }

    /** The problem type URI, stable across releases. */
    public String typeUri() {
      return "urn:ficus:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** One problem with one part of the request: where ({@code pointer}) and what. */
  public record FieldError(String pointer, String detail) {
    public FieldError {
      Objects.requireNonNull(pointer, "pointer");
      Objects.requireNonNull(detail, "detail");
    }
  }

  public GatewayError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(title, "title");
    errors = errors == null ? List.of() : List.copyOf(errors);
    extensions = extensions == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extensions));
    allow = allow == null ? List.of() : List.copyOf(allow);
  }

  public static GatewayError of(Code code, String detail) {
    return new GatewayError(code, code.status(), code.title(), detail, code.retryable, null, null, null);
  }

  public static GatewayError invalid(String detail, List<FieldError> errors) {
    Code c = Code.INVALID_REQUEST;
    return new GatewayError(c, c.status(), c.title(), detail, false, errors, null, null);
  }

  /** 403: the caller may not call this route. */
  public static GatewayError forbidden(String detail) {
    return of(Code.FORBIDDEN, detail);
  }

  public static GatewayError methodNotAllowed(String method, List<String> allow) {
    Code c = Code.METHOD_NOT_ALLOWED;
    return new GatewayError(c, c.status(), c.title(),
        "Method " + method + " is not allowed here; allowed: " + String.join(", ", allow),
        false, null, null, allow);
  }

  /** Same error with another HTTP status (for faults mapped to statuses by the mapping). */
  public GatewayError withStatus(int newStatus) {
    return new GatewayError(code, newStatus, title, detail, retryable, errors, extensions, allow);
  }

  public GatewayError withExtensions(Map<String, Object> more) {
    java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>(extensions);
    m.putAll(more);
    return new GatewayError(code, status, title, detail, retryable, errors, m, allow);
  }
}
