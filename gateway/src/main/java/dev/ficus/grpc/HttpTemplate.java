package dev.ficus.grpc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code google.api.http} path template, compiled: {@code /v1/{name=shelves/*}/books/**},
 * {@code /v1/{book.name=shelves/*&#47;books/*}:publish}, {@code /v1/items/{id}}.
 *
 * <p>Grammar (from {@code google/api/http.proto}): {@code Template = "/" Segments [":" Verb]},
 * {@code Segment = "*" | "**" | LITERAL | "{" FieldPath ["=" Segments] "}"}; {@code {a.b}} is
 * {@code {a.b=*}}; {@code **} matches zero or more segments. {@code http.proto} says it comes last,
 * but Google's own services put it inside a variable that more segments follow (Firestore's
 * {@code /v1/{parent=projects/*&#47;databases/*&#47;documents/*&#47;**}/{collection_id}}), so it is
 * accepted anywhere, once per template: the segments after it have a fixed count, so a path
 * matches in one pass (prefix from the left, suffix from the right, {@code **} takes the rest).
 *
 * <p>Why a matcher of its own: Ficus' router knows {@code {name}}, {@code *} and a final
 * {@code **}, one variable per segment. A gRPC route is therefore registered on its
 * {@link #routerPath() widest router template} (variables erased to {@code *}/{@code **},
 * literals kept, everything from a {@code **} on erased to a final {@code **}, a verb kept only
 * when it follows a literal), and the router (as the route's path filter) and the operation
 * handler run {@link #match} on the request path to check what the router template widened
 * (the verb, the segments after a {@code **}) and capture variables that span several segments. The server decodes the path except {@code %2F}; a one-segment variable then
 * has {@code %2F} decoded too, a multi-segment one keeps it (as {@code google/api/http.proto}
 * says). Immutable; thread-safe.
 */
final class HttpTemplate {
  enum Kind { LITERAL, STAR, DOUBLE_STAR }

  /** One path segment of the template. */
  record Segment(Kind kind, String literal) {}

  /** A variable: the request field it fills and the template segments [start, end) it spans. */
  record Variable(String fieldPath, int start, int end) {}

  private final String text;
  private final List<Segment> segments;
  private final List<Variable> variables;
  private final String verb;

  private HttpTemplate(String text, List<Segment> segments, List<Variable> variables, String verb) {
    this.text = text;
    this.segments = List.copyOf(segments);
    this.variables = List.copyOf(variables);
    this.verb = verb;
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} with a message for the author. */
  static HttpTemplate parse(String text) {
    if (text == null || !text.startsWith("/")) {
      throw new IllegalArgumentException("a path template must start with '/'");
    }
    int from = Math.max(text.lastIndexOf('/'), text.lastIndexOf('}'));
    int colon = text.indexOf(':', from + 1);
    String verb = null;
    String body = text;
    if (colon >= 0) {
      verb = text.substring(colon + 1);
      body = text.substring(0, colon);
      if (verb.isEmpty() || !isLiteral(verb)) {
        throw new IllegalArgumentException("':" + verb + "' is not a valid verb (letters, digits, - _ . ~ %)");
      }
    }
    Parser p = new Parser(body);
    p.pos = 1;
    if (body.length() > 1) {
      p.segments(false);
    }
    if (p.pos != body.length()) {
      throw new IllegalArgumentException("unexpected '" + body.charAt(p.pos) + "' at position " + (p.pos + 1));
    }
    if (p.segments.stream().filter(seg -> seg.kind() == Kind.DOUBLE_STAR).count() > 1) {
      throw new IllegalArgumentException("'**' appears more than once, so a path could be split in several ways");
    }
    List<String> names = new ArrayList<>();
    for (Variable v : p.variables) {
      if (names.contains(v.fieldPath())) {
        throw new IllegalArgumentException("field '" + v.fieldPath() + "' is bound twice");
      }
      names.add(v.fieldPath());
    }
    return new HttpTemplate(text, p.segments, p.variables, verb);
  }

  private static final class Parser {
    final String s;
    int pos;
    final List<Segment> segments = new ArrayList<>();
    final List<Variable> variables = new ArrayList<>();

    Parser(String s) {
      this.s = s;
    }

    void segments(boolean inVariable) {
      segment(inVariable);
      while (pos < s.length() && s.charAt(pos) == '/') {
        pos++;
        segment(inVariable);
      }
    }

    void segment(boolean inVariable) {
      if (s.startsWith("**", pos)) {
        segments.add(new Segment(Kind.DOUBLE_STAR, null));
        pos += 2;
      } else if (s.startsWith("*", pos)) {
        segments.add(new Segment(Kind.STAR, null));
        pos++;
      } else if (s.startsWith("{", pos)) {
        if (inVariable) {
          throw new IllegalArgumentException("variables cannot be nested");
        }
        variable();
      } else {
        int start = pos;
        while (pos < s.length() && "/{}*=".indexOf(s.charAt(pos)) < 0) {
          pos++;
        }
        if (pos == start) {
          throw new IllegalArgumentException(pos >= s.length() || s.charAt(pos) == '/'
              ? "the path has an empty segment" : "unexpected '" + s.charAt(pos) + "' at position " + (pos + 1));
        }
        segments.add(new Segment(Kind.LITERAL, s.substring(start, pos)));
      }
    }

    void variable() {
      pos++;
      int start = pos;
      while (pos < s.length() && s.charAt(pos) != '=' && s.charAt(pos) != '}') {
        pos++;
      }
      String field = s.substring(start, pos);
      if (!field.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
        throw new IllegalArgumentException("'{" + field + "}' must name a field, like {name} or {book.name}");
      }
      int first = segments.size();
      if (pos < s.length() && s.charAt(pos) == '=') {
        pos++;
        segments(true);
      } else {
        segments.add(new Segment(Kind.STAR, null));
      }
      if (pos >= s.length() || s.charAt(pos) != '}') {
        throw new IllegalArgumentException("'{" + field + "' is not closed with '}'");
      }
      pos++;
      variables.add(new Variable(field, first, segments.size()));
    }
  }

  private static boolean isLiteral(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || "-_.~%!$&'()+,;@".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  String text() {
    return text;
  }

  List<Variable> variables() {
    return variables;
  }

  /** The custom verb ({@code cancel} in {@code /v1/{name=*}:cancel}), or null. */
  String verb() {
    return verb;
  }

  /**
   * The widest template of Ficus' router that covers this one: literals kept, every wildcard
   * a {@code *}; a {@code **} and all that follows it become a final {@code **}; a verb stays
   * only after a literal last segment.
   */
  String routerPath() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      sb.append('/').append(switch (s.kind()) {
        case LITERAL -> s.literal();
        case STAR -> "*";
        case DOUBLE_STAR -> "**";
      });
      if (s.kind() == Kind.DOUBLE_STAR) {
        break;
      }
      if (i == segments.size() - 1 && verb != null && s.kind() == Kind.LITERAL) {
        sb.append(':').append(verb);
      }
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  /** Templates with equal signatures match exactly the same requests (variable names erased). */
  String signature() {
    StringBuilder sb = new StringBuilder();
    for (Segment s : segments) {
      sb.append('/').append(s.kind() == Kind.LITERAL ? s.literal() : s.kind() == Kind.STAR ? "*" : "**");
    }
    if (verb != null) {
      sb.append(':').append(verb);
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  /**
   * Matches a request path (percent-decoded, as the server gives it); returns the variables'
   * values in {@link #variables()} order, or null when the path does not fit.
   */
  String[] match(String path) {
    String p = path;
    if (verb != null) {
      int cut = p.length() - verb.length() - 1;
      if (cut < 0 || p.charAt(cut) != ':' || !p.endsWith(verb) || p.indexOf('/', cut) >= 0) {
        return null;
      }
      p = p.substring(0, cut);
    }
    String[] segs = split(p);
    int n = segs.length;
    int[] startOf = new int[segments.size() + 1];
    int i = 0;
    for (int k = 0; k < segments.size(); k++) {
      Segment s = segments.get(k);
      startOf[k] = i;
      switch (s.kind()) {
        case LITERAL -> {
          if (i >= n || !segs[i].equals(s.literal())) {
            return null;
          }
          i++;
        }
        case STAR -> {
          if (i >= n || segs[i].isEmpty()) {
            return null;
          }
          i++;
        }
        case DOUBLE_STAR -> {
          // The segments after it have a fixed count (one '**' per template): leave them theirs.
          int rest = n - i - (segments.size() - k - 1);
          if (rest < 0) {
            return null;
          }
          i += rest;
        }
      }
    }
    startOf[segments.size()] = i;
    if (i != n) {
      return null;
    }
    String[] values = new String[variables.size()];
    for (int v = 0; v < values.length; v++) {
      Variable var = variables.get(v);
      String value = String.join("/", Arrays.asList(segs).subList(startOf[var.start()], startOf[var.end()]));
      // The server has decoded the path except for %2F. A one-segment variable is decoded fully
      // (the http.proto rule); in a multi-segment one %2F stays, so it cannot fake a segment.
      if (var.end() - var.start() == 1 && segments.get(var.start()).kind() == Kind.STAR && value.indexOf('%') >= 0) {
        value = value.replace("%2F", "/").replace("%2f", "/");
      }
      values[v] = value;
    }
    return values;
  }

  private static String[] split(String path) {
    int start = path.startsWith("/") ? 1 : 0;
    int end = path.length() > start && path.endsWith("/") ? path.length() - 1 : path.length();
    if (end <= start) {
      return new String[0];
    }
    return path.substring(start, end).split("/", -1);
  }

  @Override
  public String toString() {
    return text;
  }
}
