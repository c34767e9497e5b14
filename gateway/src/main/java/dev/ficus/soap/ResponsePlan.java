package dev.ficus.soap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the client sees of a reply: the part chosen by {@code select} and members renamed.
 * Paths were checked against the schema when the mapping compiled, so this only walks the
 * tree. Immutable and thread-safe.
 */
public final class ResponsePlan {
  /** A rename of the member at {@code path} (relative to the selected part) to {@code to}. */
  record Rename(List<String> path, String to) {}

  private final List<String> select;
  private final List<Rename> renames;

  ResponsePlan(List<String> select, List<Rename> renames) {
    this.select = List.copyOf(select);
    this.renames = List.copyOf(renames);
  }

  /** Applies select and renames; returns JSON null when the selected member is absent. */
  public JsonNode apply(JsonNode reply) {
    JsonNode n = reply;
    for (String s : select) {
      n = n == null ? null : n.get(s);
    }
    if (n == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    for (Rename r : renames) {
      rename(n, r.path(), 0, r.to());
    }
    return n;
  }

  private static void rename(JsonNode n, List<String> path, int i, String to) {
    if (n instanceof ArrayNode a) {
      for (JsonNode item : a) {
        rename(item, path, i, to);
      }
      return;
    }
    if (!(n instanceof ObjectNode o)) {
      return;
    }
    if (i < path.size() - 1) {
      rename(o.get(path.get(i)), path, i + 1, to);
      return;
    }
    String from = path.get(i);
    if (!o.has(from)) {
      return;
    }
    // Rebuild to keep member order: the renamed member stays where it was.
    Map<String, JsonNode> copy = new java.util.LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = o.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      copy.put(e.getKey().equals(from) ? to : e.getKey(), e.getValue());
    }
    o.removeAll();
    copy.forEach(o::set);
  }
}
