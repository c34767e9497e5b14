package dev.ficus.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ficus.config.ConfigProblem;
import dev.ficus.http.Json;
import dev.ficus.server.ReloadHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders the reload history for {@code GET /reload/status} and the configuration part of
 * {@code GET /ready}. Stateless; any thread.
 */
final class ReloadStatusJson {
  private ReloadStatusJson() {}

  /** The whole history: running configuration, counts, last attempt, last refusal, recent attempts. */
  static byte[] status(ReloadHistory.Snapshot s) {
    return write(g -> {
      g.writeStartObject();
      running(g, s.running());
      g.writeNumberField("applied", s.applied());
      g.writeNumberField("refused", s.refused());
      attempt(g, "lastAttempt", s.lastAttempt());
      attempt(g, "lastRefused", s.lastRefused());
      g.writeArrayFieldStart("recent");
      for (ReloadHistory.Attempt a : s.recent()) {
        attemptBody(g, a);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /**
   * {@code /ready}: always UP while the listener serves (a refused reload leaves the previous
   * configuration serving), with the running configuration and, when the newest reload was
   * refused, a warning that says so.
   */
  static byte[] ready(ReloadHistory.Snapshot s) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "UP");
      running(g, s.running());
      attempt(g, "lastReload", s.lastAttempt());
      if (s.lastRefusedIsLatest()) {
        ReloadHistory.Attempt a = s.lastAttempt();
        g.writeStringField("warning", "The last reload (" + a.trigger().label() + ", " + a.at() + ") was refused with "
            + a.problems().size() + " problem(s); still serving configuration version " + s.running().version()
            + ". See GET /reload/status.");
      }
      g.writeEndObject();
    });
  }

  private static void running(JsonGenerator g, ReloadHistory.Running r) throws IOException {
    g.writeObjectFieldStart("config");
    g.writeNumberField("version", r.version());
    g.writeStringField("digest", r.digest());
    g.writeStringField("since", r.since().toString());
    g.writeStringField("trigger", r.trigger().label());
    g.writeEndObject();
  }

  private static void attempt(JsonGenerator g, String name, ReloadHistory.Attempt a) throws IOException {
    g.writeFieldName(name);
    if (a == null) {
      g.writeNull();
    } else {
      attemptBody(g, a);
    }
  }

  private static void attemptBody(JsonGenerator g, ReloadHistory.Attempt a) throws IOException {
    g.writeStartObject();
    g.writeStringField("at", a.at().toString());
    g.writeStringField("trigger", a.trigger().label());
    g.writeStringField("outcome", a.applied() ? "applied" : "refused");
    g.writeStringField("digest", a.digest());
    g.writeNumberField("runningVersion", a.runningVersion());
    g.writeArrayFieldStart("problems");
    for (ConfigProblem p : a.problems()) {
      g.writeString(p.toString());
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
