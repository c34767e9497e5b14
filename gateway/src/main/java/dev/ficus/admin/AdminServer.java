package dev.ficus.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ficus.config.Specs;
import dev.ficus.error.GatewayError;
import dev.ficus.http.Json;
import dev.ficus.http.Responses;
import dev.ficus.migration.Inventory;
import dev.ficus.migration.Parity;
import dev.ficus.migration.ResponseComparator;
import dev.ficus.server.GatewayRuntime;
import dev.ficus.server.ReloadHistory;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * The admin listener: a separate port (loopback by default; a bearer token is required when
 * one is configured) serving health, the compiled routes, and the migration report — the
 * inventory of what still reaches legacy upstreams (JSON and CSV) and the parity of shadowed
 * routes. Read-only but for {@code POST /reload}, which runs on a worker thread; the other
 * handlers run on IO threads and only read lock-free counters. {@link AdminRequestGuard} keeps
 * web pages out (Host and Origin); a mutating request needs JSON or the token.
 *
 * <pre>
 * GET /health                     {"status":"UP"}
 * GET /ready                      UP, the running configuration, and a warning when the last reload was refused
 * GET /reload/status              the running configuration's version and digest, and recent reload attempts
 * GET /routes                     every route with its chain of stages and its target
 * GET /migration/inventory        JSON rows: upstream, method, template, count, status mix, latency
 * GET /migration/inventory.csv    the same as CSV
 * GET /migration/parity           per shadowed route: matches, mismatches, errors, recent diffs
 * POST /reload                    re-read the configuration; 422 with every problem if it is invalid
 * </pre>
 */
public final class AdminServer implements AutoCloseable {
  private final Undertow undertow;

  private AdminServer(Undertow undertow) {
    this.undertow = undertow;
  }

  /** How the admin listener reloads the gateway and reads the reload history. */
  public interface Reloads {
    /** Reloads (blocking; called on a worker thread) and returns the recorded attempt. */
    ReloadHistory.Attempt reload();

    /** The current history; cheap, any thread. */
    ReloadHistory.Snapshot status();
  }

  public static AdminServer start(Specs.AdminSpec spec, Supplier<GatewayRuntime> runtime, Inventory inventory,
      Reloads reload) {
    HttpHandler h = new Endpoints(runtime, inventory, reload, spec.token() != null);
    if (spec.token() != null) {
      h = new TokenCheck(spec.token(), h);
    }
    // The port is known once bound (0 in the spec picks a free one): a request in the instant
    // before it is set may be refused, never wrongly let in.
    java.util.concurrent.atomic.AtomicInteger bound = new java.util.concurrent.atomic.AtomicInteger(spec.port());
    h = new AdminRequestGuard(spec, bound::get, h);
    Undertow u = Undertow.builder().addHttpListener(spec.port(), spec.host()).setHandler(h).build();
    u.start();
    AdminServer admin = new AdminServer(u);
    bound.set(admin.port());
    return admin;
  }

  public int port() {
    return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  @Override
  public void close() {
    undertow.stop();
  }

  /** Requires {@code Authorization: Bearer TOKEN}; compares in constant time. */
  private record TokenCheck(String token, HttpHandler next) implements HttpHandler {
    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
      String auth = ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
      byte[] given = auth != null && auth.startsWith("Bearer ")
          ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
      if (!MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8))) {
        ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
        Responses.problem(ex, new GatewayError(GatewayError.Code.INVALID_REQUEST, 401, "Unauthorized",
            "The admin listener needs 'Authorization: Bearer <token>'", false, null, null, null));
        return;
      }
      next.handleRequest(ex);
    }
  }

  /**
   * The endpoints. {@code tokenChecked}: every request carried the admin token (else a mutating
   * request must be JSON, which a cross-origin form cannot send without a CORS preflight that
   * this listener never grants).
   */
  private record Endpoints(Supplier<GatewayRuntime> runtime, Inventory inventory, Reloads reload,
      boolean tokenChecked) implements HttpHandler {
    @Override
    public void handleRequest(HttpServerExchange ex) throws IOException {
      String method = ex.getRequestMethod().toString();
      // Every method that may change something, on any path (so that an endpoint added later is
      // covered too); GET and HEAD change nothing, and OPTIONS is answered 405.
      boolean mutating = !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
      if (mutating && !tokenChecked && !isJson(ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))) {
        Responses.problem(ex, GatewayError.of(GatewayError.Code.UNSUPPORTED_MEDIA_TYPE,
            method + " on the admin listener needs 'Content-Type: application/json' (or the admin token), so that "
                + "a web page cannot send it"));
        return;
      }
      if ("/reload".equals(ex.getRelativePath()) && "POST".equals(method)) {
        if (ex.isInIoThread()) {
          ex.dispatch(this);
          return;
        }
        ReloadHistory.Attempt attempt = reload.reload();
        java.util.List<dev.ficus.config.ConfigProblem> problems = attempt.problems();
        if (attempt.applied()) {
          Responses.json(ex, 200, Json.MAPPER.writeValueAsBytes(java.util.Map.of("status", "reloaded",
              "routes", runtime.get().routes().size(), "version", attempt.runningVersion(),
              "digest", attempt.digest())));
        } else {
          java.util.List<GatewayError.FieldError> errors = new java.util.ArrayList<>();
          problems.forEach(p -> errors.add(new GatewayError.FieldError(p.loc().toString(), p.message())));
          Responses.problem(ex, new GatewayError(GatewayError.Code.INVALID_REQUEST, 422, "Configuration rejected",
              problems.size() + " problem(s); the running configuration is unchanged", false, errors, null, null));
        }
        return;
      }
      if (!"GET".equals(ex.getRequestMethod().toString()) && !"HEAD".equals(ex.getRequestMethod().toString())) {
        Responses.problem(ex, GatewayError.methodNotAllowed(ex.getRequestMethod().toString(), java.util.List.of("GET")));
        return;
      }
      switch (ex.getRelativePath()) {
        case "/health" -> Responses.json(ex, 200, "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8));
        case "/ready" -> Responses.json(ex, 200, ReloadStatusJson.ready(reload.status()));
        case "/reload/status" -> Responses.json(ex, 200, ReloadStatusJson.status(reload.status()));
        case "/routes" -> Responses.json(ex, 200, routes());
        case "/migration/inventory" -> Responses.json(ex, 200, Json.MAPPER.writeValueAsBytes(inventory.rows()));
        case "/migration/inventory.csv" -> {
          ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/csv; charset=utf-8");
          ex.getResponseSender().send(inventory.csv());
        }
        case "/migration/parity" -> Responses.json(ex, 200, parity());
        default -> Responses.problem(ex, GatewayError.of(GatewayError.Code.NOT_FOUND,
            "Admin endpoints: /health, /ready, /routes, /reload/status, /migration/inventory, "
                + "/migration/inventory.csv, /migration/parity, POST /reload"));
      }
    }

    /** Each route and its chain, from the compiled chains themselves: what is listed is what runs. */
    private byte[] routes() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
        g.writeStartArray();
        for (dev.ficus.chain.Chain c : runtime.get().chains()) {
          g.writeStartObject();
          g.writeStringField("route", c.route());
          g.writeArrayFieldStart("chain");
          for (dev.ficus.chain.Link l : c.links()) {
            g.writeString(l.label());
          }
          g.writeEndArray();
          g.writeStringField("target", c.target());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      return out.toByteArray();
    }

    private static boolean isJson(String contentType) {
      if (contentType == null) {
        return false;
      }
      int semi = contentType.indexOf(';');
      return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().equalsIgnoreCase("application/json");
    }

    private byte[] parity() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
        g.writeStartArray();
        for (Parity p : runtime.get().parities()) {
          Parity.Snapshot s = p.snapshot();
          g.writeStartObject();
          g.writeStringField("route", s.route());
          g.writeStringField("shadow", s.shadow());
          g.writeNumberField("compared", s.compared());
          g.writeNumberField("matches", s.matches());
          g.writeNumberField("mismatches", s.mismatches());
          g.writeNumberField("parityPercent", s.parityPercent());
          g.writeNumberField("shadowErrors", s.errors());
          g.writeNumberField("dropped", s.dropped());
          g.writeObjectField("droppedBy", s.droppedBy());
          g.writeNumberField("inFlight", s.inFlight());
          g.writeNumberField("bytesHeld", s.bytesHeld());
          g.writeNumberField("skipped", s.skipped());
          g.writeObjectField("mismatchesByPointer", s.mismatchesByPointer());
          g.writeArrayFieldStart("recent");
          for (Parity.Sample sample : s.recent()) {
            g.writeStartObject();
            g.writeStringField("at", sample.at().toString());
            g.writeStringField("request", sample.method() + " " + sample.path());
            if (sample.error() != null) {
              g.writeStringField("error", sample.error());
            }
            g.writeArrayFieldStart("differences");
            for (ResponseComparator.Difference d : sample.differences()) {
              g.writeStartObject();
              g.writeStringField("pointer", d.pointer());
              writeValue(g, "primary", d.primary());
              writeValue(g, "shadow", d.shadow());
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, String name, JsonNode v) throws IOException {
      if (v != null && !v.isMissingNode()) {
        g.writeFieldName(name);
        g.writeTree(v);
      }
    }
  }
}
