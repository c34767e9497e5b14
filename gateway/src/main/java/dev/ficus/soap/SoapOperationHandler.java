package dev.ficus.soap;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.error.GatewayError;
import dev.ficus.error.GatewayException;
import dev.ficus.http.BodyReader;
import dev.ficus.http.Json;
import dev.ficus.http.Responses;
import dev.ficus.routing.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * Serves one REST operation by calling one SOAP operation.
 *
 * <p>Threads: {@link #handleRequest} runs on an Undertow IO thread and never blocks: the body
 * is received asynchronously within the gateway's body limits ({@link BodyReader}), translated (CPU only, bounded by the body limit) and posted with
 * the non-blocking {@link SoapClient}; the reply is parsed and the response sent from the
 * client's completion thread, which is the same IO thread (no thread hand-off). Every failure ends as one problem+json response.
 */
public final class SoapOperationHandler implements HttpHandler {
  private final String name;
  private final EnvelopeCodec codec;
  private final RequestPlan request;
  /** Fills the request's soap:header elements; null when the mapping fills none per request. */
  private final RequestPlan headers;
  private final ResponsePlan response;
  private final ReplyHeaderPlan replyHeaders;
  private final FaultPlan faults;
  private final SoapClient client;
  private final SoapClient.Target target;
  private final Duration timeout;
  private final BodyReader bodies;

  SoapOperationHandler(String name, EnvelopeCodec codec, RequestPlan request, RequestPlan headers,
      ResponsePlan response, ReplyHeaderPlan replyHeaders, FaultPlan faults, SoapClient client,
      SoapClient.Target target, Duration timeout, BodyReader bodies) {
    this.name = name;
    this.codec = codec;
    this.request = request;
    this.headers = headers;
    this.response = response;
    this.replyHeaders = replyHeaders;
    this.faults = faults;
    this.client = client;
    this.target = target;
    this.timeout = timeout;
    this.bodies = bodies;
  }

  /** A readable description for the admin view and logs. */
  public String describe() {
    return codec.operation().name() + " (" + codec.operation().version() + ") at " + target.endpoint();
  }

  public String name() {
    return name;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) {
    if (!request.usesBody() && (headers == null || !headers.usesBody())) {
      call(ex, null);
      return;
    }
    if (bodies.refusedByDeclaredLength(ex)) {
      return;
    }
    boolean hasBody = ex.getRequestContentLength() > 0 || ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    if (hasBody && !isJson(ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.UNSUPPORTED_MEDIA_TYPE,
          "Send the body as application/json (got " + (ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE) == null
              ? "no Content-Type" : ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE)) + ")"));
      return;
    }
    bodies.read(ex, this::call);
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String ct = contentType.toLowerCase(Locale.ROOT);
    int semi = ct.indexOf(';');
    String mt = (semi >= 0 ? ct.substring(0, semi) : ct).trim();
    return mt.equals("application/json") || (mt.startsWith("application/") && mt.endsWith("+json"));
  }

  private void call(HttpServerExchange ex, byte[] bodyBytes) {
    byte[] envelope;
    try {
      JsonNode body = null;
      if (bodyBytes != null && bodyBytes.length > 0) {
        body = parse(bodyBytes);
      }
      Router.Found<?> match = ex.getAttachment(dev.ficus.routing.RouteMatch.KEY);
      ExchangeInputs inputs = new ExchangeInputs(ex, match);
      JsonNode json = request.build(body, inputs);
      envelope = codec.request(json, headers == null ? null : headers.build(body, inputs));
    } catch (GatewayException e) {
      Responses.problem(ex, e.error());
      return;
    }
    SoapOperation op = codec.operation();
    // Keep the exchange open after this call stack returns; the reply completes it. The call
    // starts on the exchange's IO thread, where the client's connection pool for it lives.
    ex.dispatch(ex.isInIoThread() ? SameThreadExecutor.INSTANCE : ex.getIoThread(),
        () -> client.post(ex, target, op.version(), op.soapAction(), envelope, timeout)
        .whenComplete((reply, failure) -> {
          try {
            if (failure != null) {
              Responses.problem(ex, transportError(failure));
            } else {
              answer(ex, reply);
            }
          } catch (RuntimeException e) {
            Responses.problem(ex, GatewayError.of(GatewayError.Code.INTERNAL,
                "The gateway failed while translating the reply of " + op.name()));
          }
        }));
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      // BigDecimal has no -0.0: put the sign back for xs:double / xs:float (NegativeZeros says why).
      return dev.ficus.http.NegativeZeros.restore(Json.MAPPER.readTree(bytes), bytes);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String where = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
      throw new GatewayException(GatewayError.of(GatewayError.Code.MALFORMED_JSON,
          "The body is not valid JSON" + where + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new GatewayException(GatewayError.of(GatewayError.Code.MALFORMED_JSON, "The body cannot be read"));
    }
  }

  private void answer(HttpServerExchange ex, SoapClient.RawReply reply) {
    SoapOperation op = codec.operation();
    if (op.oneWay() && reply.status() >= 200 && reply.status() < 300) {
      Responses.empty(ex, 202);
      return;
    }
    if (!isXml(reply.contentType())) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.BAD_GATEWAY,
          "The backend answered HTTP " + reply.status() + " with " + (reply.contentType() == null ? "no content type"
              : reply.contentType()) + " instead of a SOAP envelope"));
      return;
    }
    SoapReply parsed;
    try {
      parsed = codec.reply(reply.body());
    } catch (EnvelopeCodec.NotSoapException e) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.BAD_GATEWAY,
          "The backend answered HTTP " + reply.status() + " but " + e.getMessage()));
      return;
    }
    if (parsed instanceof SoapReply.Fault f) {
      Responses.problem(ex, faults.toError(f, dev.ficus.chain.RequestContext.of(ex).requestId()));
      return;
    }
    if (reply.status() >= 300) {
      Responses.problem(ex, GatewayError.of(GatewayError.Code.BAD_GATEWAY,
          "The backend answered HTTP " + reply.status() + " without a SOAP fault"));
      return;
    }
    SoapReply.Success success = (SoapReply.Success) parsed;
    JsonNode out = response.apply(success.body());
    List<java.util.Map.Entry<String, String>> httpHeaders;
    try {
      httpHeaders = replyHeaders.httpHeaders(success.headers(), op.name());
    } catch (GatewayException e) {
      Responses.problem(ex, e.error());
      return;
    }
    out = replyHeaders.intoBody(out, success.headers());
    for (java.util.Map.Entry<String, String> h : httpHeaders) {
      ex.getResponseHeaders().add(new io.undertow.util.HttpString(h.getKey()), h.getValue());
    }
    try {
      Responses.json(ex, 200, Json.MAPPER.writeValueAsBytes(out));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isXml(String contentType) {
    if (contentType == null) {
      return false;
    }
    String ct = contentType.toLowerCase(Locale.ROOT);
    return ct.contains("xml");
  }

  private GatewayError transportError(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof SoapClient.TimedOutException) {
      return GatewayError.of(GatewayError.Code.GATEWAY_TIMEOUT,
          "The backend did not answer " + codec.operation().name() + " within " + timeout.toMillis() + " ms");
    }
    if (t instanceof SoapClient.ReplyTooLargeException) {
      return GatewayError.of(GatewayError.Code.BAD_GATEWAY, "The backend's " + t.getMessage());
    }
    if (t instanceof SoapClient.UnreachableException) {
      return GatewayError.of(GatewayError.Code.BACKEND_UNAVAILABLE,
          "The backend of " + codec.operation().name() + " cannot be reached: " + t.getMessage());
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof ClosedChannelException) {
        return GatewayError.of(GatewayError.Code.BACKEND_UNAVAILABLE,
            "The backend of " + codec.operation().name() + " refused the connection");
      }
    }
    return GatewayError.of(GatewayError.Code.BAD_GATEWAY,
        "The connection to the backend of " + codec.operation().name() + " failed"
            + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }

  /** Reads path, query and header values of the exchange for {@link RequestPlan}. */
  private record ExchangeInputs(HttpServerExchange ex, Router.Found<?> match) implements RequestPlan.Inputs {
    @Override
    public String path(String name) {
      return match == null ? null : match.variable(name);
    }

    @Override
    public Deque<String> query(String name) {
      return ex.getQueryParameters().get(name);
    }

    @Override
    public List<String> header(String lowerCaseName) {
      var values = ex.getRequestHeaders().get(lowerCaseName);
      return values == null ? null : new ArrayList<>(values);
    }
  }
}
