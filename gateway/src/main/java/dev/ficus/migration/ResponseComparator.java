package dev.ficus.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ficus.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares the primary's answer with the shadow's, structurally: status, the chosen headers,
 * and the body — JSON member by member (object order never matters; arrays by position),
 * skipping declared {@code ignore} pointers and allowing {@code tolerance} between numbers;
 * non-JSON bodies byte for byte. Values under {@code redact} pointers are masked in the
 * reported differences. Immutable and thread-safe; called by {@link ShadowHandler} on the IO
 * thread for small answers and on a worker thread for large ones.
 */
public final class ResponseComparator {
  private static final int MAX_DIFFERENCES = 20;
  private static final JsonNode MASK = JsonNodeFactory.instance.textNode("***");

  private final List<String[]> ignore;
  private final List<String[]> redact;
  private final double tolerance;
  private final List<String> headers;
  private final List<String> headerNames;

  public ResponseComparator(List<String> ignore, List<String> redact, double tolerance, List<String> headers) {
    this.ignore = ignore.stream().map(JsonPointers::split).toList();
    this.redact = redact.stream().map(JsonPointers::split).toList();
    this.tolerance = tolerance;
    this.headers = headers.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
    Set<String> names = new LinkedHashSet<>(this.headers);
    names.add("content-type");
    this.headerNames = List.copyOf(names);
  }

  /**
   * The response headers that {@link #compare} reads, in lower case: the chosen ones and
   * {@code content-type}. An {@link Answer} needs no others.
   */
  public List<String> headerNames() {
    return headerNames;
  }

  /** One side's answer. {@code headers} keys are lower case. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {}

  /** One difference: where ({@code /status}, {@code /headers/etag}, or {@code /body…}) and the two values. */
  public record Difference(String pointer, JsonNode primary, JsonNode shadow) {}

  /** The differences, at most {@value #MAX_DIFFERENCES}; empty when the answers match. */
  public List<Difference> compare(Answer primary, Answer shadow) {
    List<Difference> out = new ArrayList<>();
    if (primary.status() != shadow.status()) {
      out.add(new Difference("/status", num(primary.status()), num(shadow.status())));
    }
    for (String h : headers) {
      String a = primary.headers().get(h);
      String b = shadow.headers().get(h);
      if (!Objects.equals(a, b)) {
        out.add(new Difference("/headers/" + h, text(a), text(b)));
      }
    }
    if (Arrays.equals(primary.body(), shadow.body())) {
      // Equal bytes parse to equal trees: nothing to find, and parsing is most of the cost.
      return out;
    }
    JsonNode ja = parse(primary);
    JsonNode jb = parse(shadow);
    if (ja != null && jb != null) {
      List<String> path = new ArrayList<>();
      path.add("body");
      diff(ja, jb, path, out);
    } else if (!Arrays.equals(primary.body(), shadow.body())) {
      out.add(new Difference("/body", text(summary(primary.body())), text(summary(shadow.body()))));
    }
    return out;
  }

  private static JsonNode parse(Answer a) {
    String ct = a.headers().get("content-type");
    if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).contains("json") || a.body().length == 0) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(a.body());
    } catch (IOException e) {
      return null;
    }
  }

  private void diff(JsonNode a, JsonNode b, List<String> path, List<Difference> out) {
    if (out.size() >= MAX_DIFFERENCES) {
      return;
    }
    List<String> bodyPath = path.subList(1, path.size());
    if (JsonPointers.covered(ignore, bodyPath)) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        path.add(n);
        JsonNode x = a.get(n);
        JsonNode y = b.get(n);
        if (x == null || y == null) {
          if (!JsonPointers.covered(ignore, path.subList(1, path.size()))) {
            add(out, path, x, y);
          }
        } else {
          diff(x, y, path, out);
        }
        path.remove(path.size() - 1);
      }
      return;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        path.add("length");
        add(out, path, num(a.size()), num(b.size()));
        path.remove(path.size() - 1);
      }
      int n = Math.min(a.size(), b.size());
      for (int i = 0; i < n; i++) {
        path.add(Integer.toString(i));
        diff(a.get(i), b.get(i), path, out);
        path.remove(path.size() - 1);
      }
      return;
    }
    if (a.isNumber() && b.isNumber()) {
      if (a.decimalValue().subtract(b.decimalValue()).abs().doubleValue() > tolerance) {
        add(out, path, a, b);
      }
      return;
    }
    if (!a.equals(b)) {
      add(out, path, a, b);
    }
  }

  private void add(List<Difference> out, List<String> path, JsonNode a, JsonNode b) {
    boolean masked = JsonPointers.covered(redact, path.subList(1, path.size()));
    out.add(new Difference(JsonPointers.pointer(path), masked && a != null ? MASK : missing(a),
        masked && b != null ? MASK : missing(b)));
  }

  private static JsonNode missing(JsonNode n) {
    return n == null ? JsonNodeFactory.instance.missingNode() : n;
  }

  private static JsonNode num(int n) {
    return JsonNodeFactory.instance.numberNode(n);
  }

  private static JsonNode text(String s) {
    return s == null ? JsonNodeFactory.instance.missingNode() : JsonNodeFactory.instance.textNode(s);
  }

  private static String summary(byte[] body) {
    return body.length + " bytes, sha-256 " + sha256(body).substring(0, 16);
  }

  private static String sha256(byte[] b) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(b);
      StringBuilder sb = new StringBuilder();
      for (byte x : d) {
        sb.append(String.format("%02x", x));
      }
      return sb.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lower-cases header names of an answer. */
  public static Map<String, String> lower(Iterator<Map.Entry<String, String>> it) {
    java.util.HashMap<String, String> m = new java.util.HashMap<>();
    it.forEachRemaining(e -> m.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
    return m;
  }
}
