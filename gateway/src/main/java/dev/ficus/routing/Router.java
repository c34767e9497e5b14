package dev.ficus.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Matches a method and path to a route target in time proportional to the path's length:
 * templates are compiled into a segment trie where literal segments win over variables.
 * Built once per configuration by {@link Builder}; immutable and thread-safe afterwards.
 *
 * @param <T> the route target (a compiled handler)
 */
public final class Router<T> {
  private final Node<T> root;

  private Router(Node<T> root) {
    this.root = root;
  }

  /** The outcome of a lookup. */
  public sealed interface Result<T> permits Found, MethodNotAllowed, NotFound {}

  /** A route matched; {@code values} are the path variables in template order. */
  public record Found<T>(T target, List<String> names, String[] values) implements Result<T> {
    /** The value of path variable {@code name}, or null. */
    public String variable(String name) {
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equals(name)) {
          return values[i];
        }
      }
      return null;
    }
  }

  /** The path matched but not the method; {@code allow} lists the methods that would. */
  public record MethodNotAllowed<T>(List<String> allow) implements Result<T> {}

  /** Nothing matched. */
  public record NotFound<T>() implements Result<T> {}

  private static final class Node<T> {
    final Map<String, Node<T>> literals = new HashMap<>();
    Node<T> variable;
    final Map<String, Leaf<T>> byMethod = new TreeMap<>();
  }

  private record Leaf<T>(T target, List<String> names) {}

  /** Looks up {@code path} (already percent-decoded by the server) for {@code method}. */
  public Result<T> lookup(String method, String path) {
    String[] segs = split(path);
    String[] captured = new String[segs.length];
    Node<T> node = match(root, segs, 0, captured, new int[] {0});
    if (node == null) {
      return new NotFound<>();
    }
    Leaf<T> leaf = node.byMethod.get(method);
    if (leaf == null && "HEAD".equals(method)) {
      leaf = node.byMethod.get("GET");
    }
    if (leaf == null) {
      return new MethodNotAllowed<>(List.copyOf(node.byMethod.keySet()));
    }
    String[] values = new String[leaf.names.size()];
    int vi = 0;
    for (String c : captured) {
      if (c != null && vi < values.length) {
        values[vi++] = c;
      }
    }
    return new Found<>(leaf.target, leaf.names, values);
  }

  private static <T> Node<T> match(Node<T> node, String[] segs, int i, String[] captured, int[] unused) {
    if (i == segs.length) {
      return node.byMethod.isEmpty() ? null : node;
    }
    Node<T> lit = node.literals.get(segs[i]);
    if (lit != null) {
      Node<T> r = match(lit, segs, i + 1, captured, unused);
      if (r != null) {
        return r;
      }
    }
    if (node.variable != null && !segs[i].isEmpty()) {
      captured[i] = segs[i];
      Node<T> r = match(node.variable, segs, i + 1, captured, unused);
      if (r != null) {
        return r;
      }
      captured[i] = null;
    }
    return null;
  }

  private static String[] split(String path) {
    if (path.isEmpty() || "/".equals(path)) {
      return new String[0];
    }
    int start = path.charAt(0) == '/' ? 1 : 0;
    int end = path.endsWith("/") ? path.length() - 1 : path.length();
    List<String> out = new ArrayList<>(8);
    int s = start;
    for (int i = start; i <= end; i++) {
      if (i == end || path.charAt(i) == '/') {
        out.add(path.substring(s, i));
        s = i + 1;
      }
    }
    return out.toArray(new String[0]);
  }

  /** Collects routes; {@link #add} reports a conflict instead of silently shadowing a route. */
  public static final class Builder<T> {
    private final Node<T> root = new Node<>();
    private final Map<String, Object> owners = new HashMap<>();

    /**
     * Adds a route. Returns null on success, or the owner (e.g. the config location) of the
     * route that already has the same method and path shape.
     */
    public Object add(String method, PathTemplate template, T target, Object owner) {
      String key = method + " " + template.shape();
      Object prev = owners.putIfAbsent(key, owner);
      if (prev != null) {
        return prev;
      }
      Node<T> n = root;
      for (PathTemplate.Segment s : template.segments()) {
        if (s.variable() != null) {
          if (n.variable == null) {
            n.variable = new Node<>();
          }
          n = n.variable;
        } else {
          n = n.literals.computeIfAbsent(s.literal(), k -> new Node<>());
        }
      }
      n.byMethod.put(method, new Leaf<>(target, template.variables()));
      return null;
    }

    public Router<T> build() {
      return new Router<>(root);
    }
  }
}
