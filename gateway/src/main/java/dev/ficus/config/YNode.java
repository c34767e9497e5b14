package dev.ficus.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as an immutable tree that remembers where each node was written, so that
 * every later error can name file, line and column. Produced by {@link YamlReader}.
 */
public sealed interface YNode permits YNode.YMap, YNode.YList, YNode.YScalar {
  Loc loc();

  /** A short name of the node's kind for error messages ("a map", "a list", "a number"…). */
  String kindName();

  /** A mapping; keys keep document order. */
  record YMap(Loc loc, Map<String, Entry> entries) implements YNode {
    public YMap {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public YNode get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : e.value();
    }

    @Override
    public String kindName() {
      return "a map";
    }
  }

  /** One key of a mapping with the location of the key itself. */
  record Entry(String key, Loc keyLoc, YNode value) {}

  record YList(Loc loc, List<YNode> items) implements YNode {
    public YList {
      items = List.copyOf(items);
    }

    @Override
    public String kindName() {
      return "a list";
    }
  }

  /** A scalar after `${VAR}` substitution; {@code type} says how YAML typed it. */
  record YScalar(Loc loc, String text, Type type) implements YNode {
    public enum Type { STRING, NUMBER, BOOLEAN, NULL }

    @Override
    public String kindName() {
      return switch (type) {
        case STRING -> "a string";
        case NUMBER -> "a number";
        case BOOLEAN -> "a boolean";
        case NULL -> "null";
      };
    }
  }
}
