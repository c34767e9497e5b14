package dev.ficus.migration;

import java.util.List;

/**
 * JSON pointer patterns as written in the route table ({@code /updatedAt},
 * {@code /items/*}{@code /id}): {@code *} matches any one segment, and a pattern also covers
 * everything beneath the member it names. Pure functions.
 */
final class JsonPointers {
  private JsonPointers() {}

  static String[] split(String pointer) {
    if (pointer.isEmpty() || "/".equals(pointer)) {
      return new String[0];
    }
    String[] raw = pointer.substring(1).split("/", -1);
    for (int i = 0; i < raw.length; i++) {
      raw[i] = raw[i].replace("~1", "/").replace("~0", "~");
    }
    return raw;
  }

  /** True when {@code path} (segments) is at or beneath one of the patterns. */
  static boolean covered(List<String[]> patterns, List<String> path) {
    for (String[] p : patterns) {
      if (p.length <= path.size()) {
        boolean ok = true;
        for (int i = 0; i < p.length && ok; i++) {
          ok = "*".equals(p[i]) || p[i].equals(path.get(i));
        }
        if (ok) {
          return true;
        }
      }
    }
    return false;
  }

  static String pointer(List<String> path) {
    if (path.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (String s : path) {
      sb.append('/').append(s.replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }
}
