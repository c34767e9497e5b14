package dev.ficus.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A compiled path template such as {@code /api/customers/{id}}: literal segments,
 * {@code {name}} variables and {@code *} wildcards (each matching exactly one segment), and a
 * final {@code **} matching any rest of the path (also none). Immutable.
 */
public record PathTemplate(String text, List<Segment> segments) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public PathTemplate {
    segments = List.copyOf(segments);
  }

  /** Variable name used for a {@code *} segment. */
  public static final String STAR = "*";
  /** Variable name used for a final {@code **} segment. */
  public static final String REST = "**";

  /** A literal segment ({@code variable == null}), a variable, {@link #STAR} or {@link #REST}. */
  public record Segment(String literal, String variable) {
    public boolean isStar() {
      return STAR.equals(variable);
    }

    public boolean isRest() {
      return REST.equals(variable);
    }

    public boolean isNamed() {
      return variable != null && !isStar() && !isRest();
    }
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} with a message for the author. */
  public static PathTemplate parse(String text) {
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("the path must start with '/'");
    }
    if (text.contains("//")) {
      throw new IllegalArgumentException("the path has an empty segment ('//')");
    }
    List<Segment> segs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    String body = text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    if (body.length() > 1) {
      String[] parts = body.substring(1).split("/", -1);
      for (int i = 0; i < parts.length; i++) {
        String s = parts[i];
        if (s.equals(REST)) {
          if (i != parts.length - 1) {
            throw new IllegalArgumentException("'**' may only be the last segment");
          }
          segs.add(new Segment(null, REST));
          continue;
        }
        if (s.equals(STAR)) {
          segs.add(new Segment(null, STAR));
          continue;
        }
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
        } else if (s.contains("{") || s.contains("}") || s.contains("*")) {
          throw new IllegalArgumentException("'" + s + "': variables and wildcards must be whole segments, like /{id}, /* or /**");
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
      if (s.isNamed()) {
        v.add(s.variable());
      }
    }
    return v;
  }

  /**
   * Specificity for "most specific route wins": per segment, literal (3) beats variable or
   * {@code *} (2) beats {@code **} (1); compared segment by segment, longer wins on a tie.
   */
  public int[] rank() {
    int[] r = new int[segments.size()];
    for (int i = 0; i < r.length; i++) {
      Segment s = segments.get(i);
      r[i] = s.literal() != null ? 3 : s.isRest() ? 1 : 2;
    }
    return r;
  }

  /** The template with variable names erased, e.g. {@code /api/customers/{}}: equal shapes conflict. */
  public String shape() {
    StringBuilder sb = new StringBuilder();
    for (Segment s : segments) {
      sb.append('/').append(s.isRest() ? "**" : s.variable() != null ? "{}" : s.literal());
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }
}
