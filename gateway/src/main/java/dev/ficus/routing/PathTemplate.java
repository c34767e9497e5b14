package dev.ficus.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A compiled path template such as {@code /api/customers/{id}}: literal segments and
 * {@code {name}} variables, each matching exactly one segment. Immutable.
 */
public record PathTemplate(String text, List<Segment> segments) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public PathTemplate {
    segments = List.copyOf(segments);
  }

  /** A literal segment ({@code variable == null}) or a variable. */
  public record Segment(String literal, String variable) {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} with a message for the author. */
  public static PathTemplate parse(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("the path must start with '/'");
    }
    List<Segment> segs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    String body = text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    if (body.length() > 1) {
      for (String s : body.substring(1).split("/", -1)) {
        if (s.isEmpty()) {
          throw new IllegalArgumentException("the path has an empty segment ('//')");
        }
        if (s.startsWith("{") && s.endsWith("}")) {
          String name = s.substring(1, s.length() - 1);
          if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a valid variable; use {name} with letters, digits, _");
          }
          if (names.contains(name)) {
            throw new IllegalArgumentException("variable {" + name + "} appears twice");
          }
          names.add(name);
          segs.add(new Segment(null, name));
        } else if (s.contains("{") || s.contains("}")) {
          throw new IllegalArgumentException("'" + s + "': a variable must be a whole segment, like /{id}");
        } else {
          segs.add(new Segment(s, null));
        }
      }
    }
    return new PathTemplate(text, segs);
  }

  /** Variable names in order. */
  public List<String> variables() {
    List<String> v = new ArrayList<>();
    for (Segment s : segments) {
      if (s.variable() != null) {
        v.add(s.variable());
      }
    }
    return v;
  }

  /** The template with variable names erased, e.g. {@code /api/customers/{}}: equal shapes conflict. */
  public String shape() {
    StringBuilder sb = new StringBuilder();
    for (Segment s : segments) {
      sb.append('/').append(s.variable() != null ? "{}" : s.literal());
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }
}
