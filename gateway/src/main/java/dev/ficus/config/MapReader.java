package dev.ficus.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict reader over one YAML map: each accessor records the key as known, wrong kinds are
 * reported with the key's location, and {@link #finish()} reports every unknown key with a
 * did-you-mean. Accessors return null (or the default) after recording a problem, so reading
 * goes on and all problems are collected.
 */
public final class MapReader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?", Pattern.CASE_INSENSITIVE);

  private static final long MAX_SIZE = 64L * 1024 * 1024 * 1024;

  private final YNode.YMap map;
  private final String what;
  private final Problems problems;
  private final Set<String> known = new LinkedHashSet<>();

  private MapReader(YNode.YMap map, String what, Problems problems) {
    this.map = map;
    this.what = what;
    this.problems = problems;
  }

  /** A reader for {@code node}, or null (problem recorded) when it is not a map. */
  public static MapReader of(YNode node, String what, Problems problems) {
    if (node instanceof YNode.YMap m) {
      return new MapReader(m, what, problems);
    }
    problems.add(node.loc(), what + " must be a map, not " + node.kindName());
    return null;
  }

  public Loc loc() {
    return map.loc();
  }

  public YNode.YMap node() {
    return map;
  }

  /** Location of {@code key} if present, else of the map. */
  public Loc keyLoc(String key) {
    YNode.Entry e = map.entries().get(key);
    return e == null ? map.loc() : e.keyLoc();
  }

  public boolean has(String key) {
    known.add(key);
    return map.entries().containsKey(key);
  }

  public YNode raw(String key) {
    known.add(key);
    return map.get(key);
  }

  public YNode required(String key) {
    known.add(key);
    YNode n = map.get(key);
    if (n == null) {
      problems.add(map.loc(), what + " needs '" + key + "'");
    }
    return n;
  }

  public String string(String key, boolean required) {
    YNode n = required ? required(key) : raw(key);
    if (n == null) {
      return null;
    }
    if (n instanceof YNode.YScalar s && s.type() != YNode.YScalar.Type.NULL) {
      return s.text();
    }
    problems.add(n.loc(), "'" + key + "' must be a string, not " + n.kindName());
    return null;
  }

  public Boolean bool(String key, Boolean dflt) {
    YNode n = raw(key);
    if (n == null) {
      return dflt;
    }
    if (n instanceof YNode.YScalar s) {
      if (s.type() == YNode.YScalar.Type.BOOLEAN || "true".equals(s.text()) || "false".equals(s.text())) {
        return Boolean.parseBoolean(s.text());
      }
    }
    problems.add(n.loc(), "'" + key + "' must be true or false, not " + n.kindName());
    return dflt;
  }

  public Integer integer(String key, Integer dflt, int min, int max) {
    YNode n = raw(key);
    if (n == null) {
      return dflt;
    }
    return integerValue(n, key, min, max, problems, dflt);
  }

  static Integer integerValue(YNode n, String key, int min, int max, Problems problems, Integer dflt) {
    if (n instanceof YNode.YScalar s && s.text() != null) {
      try {
        int v = Integer.parseInt(s.text().trim());
        if (v >= min && v <= max) {
          return v;
        }
        problems.add(n.loc(), "'" + key + "' must be between " + min + " and " + max + ", not " + v);
        return dflt;
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add(n.loc(), "'" + key + "' must be a whole number, not " + n.kindName());
    return dflt;
  }

  /** A duration such as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
  public Duration duration(String key, Duration dflt) {
    String s = string(key, false);
    if (s == null) {
      return dflt;
    }
    Matcher m = DURATION.matcher(s.trim());
    if (m.matches() && m.group(1).length() <= 9) {
      long v = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(v);
        case "s" -> Duration.ofSeconds(v);
        case "m" -> Duration.ofMinutes(v);
        default -> Duration.ofHours(v);
      };
      if (!d.isZero()) {
        return d;
      }
    }
    problems.add(map.get(key).loc(), "'" + key + "' must be a positive duration (at most 9 digits) such as 500ms, 5s or 2m, not '"
        + s + "'");
    return dflt;
  }

  /** A size such as {@code 1MB}, {@code 512KB}, {@code 1048576}. */
  public Long size(String key, Long dflt) {
    String s = string(key, false);
    if (s == null) {
      return dflt;
    }
    Matcher m = SIZE.matcher(s.trim());
    if (m.matches() && m.group(1).length() <= 12) {
      long v = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
      long mult = switch (unit) {
        case "KB", "KIB" -> 1024L;
        case "MB", "MIB" -> 1024L * 1024;
        case "GB", "GIB" -> 1024L * 1024 * 1024;
        default -> 1L;
      };
      if (v > 0 && v <= MAX_SIZE / mult) {
        return v * mult;
      }
    }
    problems.add(map.get(key).loc(), "'" + key + "' must be a size from 1 byte to 64GB, such as 512KB or 1MB, not '"
        + s + "'");
    return dflt;
  }

  /** One of {@code allowed} (case-sensitive). */
  public String oneOf(String key, String dflt, Set<String> allowed) {
    String s = string(key, false);
    if (s == null) {
      return dflt;
    }
    if (allowed.contains(s)) {
      return s;
    }
    problems.add(map.get(key).loc(), "'" + key + "' cannot be '" + s + "'" + Problems.suggestion(s, allowed));
    return dflt;
  }

  /** Reports keys that no accessor asked for. Call once, after reading everything. */
  public void finish() {
    for (YNode.Entry e : map.entries().values()) {
      if (!known.contains(e.key())) {
        problems.add(e.keyLoc(), "unknown key '" + e.key() + "' in " + what + Problems.suggestion(e.key(), known));
      }
    }
  }
}
