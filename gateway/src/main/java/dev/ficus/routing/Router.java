package dev.ficus.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Matches a request to a route target in time proportional to the path's length, whatever the
 * number of routes: templates are compiled into a segment trie.
 *
 * <p>Precedence ("most specific wins"): at each segment a literal beats a variable or
 * {@code *}, which beats {@code **}; among routes with the same path shape, the one with the
 * higher {@code priority} wins (route-table rules over mapping operations), then the one with
 * more conditions (methods, host, headers, query). Two routes that tie on all of these are a compile-time conflict
 * ({@link Builder#add} returns the first one's owner). When a path matches but no method does,
 * the result is {@link MethodNotAllowed} with the methods that would.
 *
 * <p>A route may also carry a <em>path filter</em>, for templates that the trie cannot express
 * (gRPC's {@code google.api.http} templates: a custom verb after a variable, a {@code **}
 * followed by more segments). It is registered on the widest template the trie knows, and a
 * path that reaches it but fails its filter is not its: the search goes on to the less specific
 * routes, so that {@code /v1/projects/p/topics/t:getIamPolicy} passes
 * {@code /v1/projects/*&#47;topics/*} (whose filter wants {@code :publish}) and reaches
 * {@code /v1/**}. Built once per
 * configuration; immutable and thread-safe afterwards.
 *
 * @param <T> the route target
 */
public final class Router<T> {
  private final Node<T> root;

  private Router(Node<T> root) {
    this.root = root;
  }

  /** What a route's extra conditions can ask of the request. */
  public interface RequestView {
    RequestView NONE = new RequestView() {
      @Override
      public String host() {
        return null;
      }

      @Override
      public String header(String lowerCaseName) {
        return null;
      }

      @Override
      public String query(String name) {
        return null;
      }
    };

    String host();

    String header(String lowerCaseName);

    String query(String name);
  }

  /** Extra conditions of a route beyond path and method; {@link #NONE} matches every request. */
  public record Conditions(String host, Map<String, String> headers, Map<String, String> query) {
    public static final Conditions NONE = new Conditions(null, Map.of(), Map.of());

    public Conditions {
      headers = Map.copyOf(headers);
      query = Map.copyOf(query);
    }

    int count() {
      return (host == null ? 0 : 1) + headers.size() + query.size();
    }

    boolean test(RequestView r) {
      if (host != null && !hostMatches(host, r.host())) {
        return false;
      }
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (!h.getValue().equals(r.header(h.getKey()))) {
          return false;
        }
      }
      for (Map.Entry<String, String> q : query.entrySet()) {
        if (!q.getValue().equals(r.query(q.getKey()))) {
          return false;
        }
      }
      return true;
    }

    private static boolean hostMatches(String pattern, String host) {
      if (host == null) {
        return false;
      }
      int colon = host.lastIndexOf(':');
      String h = colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
      if (pattern.startsWith("*.")) {
        return h.regionMatches(true, h.length() - pattern.length() + 1, pattern, 1, pattern.length() - 1);
      }
      return pattern.equalsIgnoreCase(h);
    }
  }

  /** The outcome of a lookup. */
  public sealed interface Result<T> permits Found, MethodNotAllowed, NotFound {}

  /** A route matched; {@code values} are the named path variables in template order. */
  public record Found<T>(T target, List<String> names, String[] values, PathTemplate template) implements Result<T> {
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
    Node<T> rest;
    final List<Leaf<T>> leaves = new ArrayList<>();
  }

  /** {@code accepts} is null when the template says all. */
  private record Leaf<T>(Set<String> methods, Conditions conditions, int priority, T target, PathTemplate template,
      int[] namedPositions, Predicate<String> accepts) {
    boolean accepts(String path) {
      return accepts == null || accepts.test(path);
    }
  }

  /** Looks up {@code path} (already percent-decoded by the server) for {@code method}, ignoring conditions. */
  public Result<T> lookup(String method, String path) {
    return lookup(method, path, RequestView.NONE);
  }

  /** Looks up a request. */
  public Result<T> lookup(String method, String path, RequestView request) {
    String[] segs = split(path);
    Search<T> s = new Search<>(method, path, segs, request);
    Leaf<T> leaf = s.walk(root, 0);
    if (leaf == null) {
      if (s.allowed != null) {
        return new MethodNotAllowed<>(List.copyOf(s.allowed));
      }
      return new NotFound<>();
    }
    String[] values = new String[leaf.namedPositions.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = segs[leaf.namedPositions[i]];
    }
    return new Found<>(leaf.target, leaf.template.variables(), values, leaf.template);
  }

  /** One depth-first search, literal before variable before rest, so the first hit is the most specific. */
  private static final class Search<T> {
    final String method;
    final String path;
    final String[] segs;
    final RequestView request;
    /** The methods other routes on the path accept; created only when a method does not match. */
    TreeSet<String> allowed;

    Search(String method, String path, String[] segs, RequestView request) {
      this.method = method;
      this.path = path;
      this.segs = segs;
      this.request = request;
    }

    Leaf<T> walk(Node<T> node, int i) {
      if (i == segs.length) {
        Leaf<T> l = pick(node.leaves);
        if (l != null) {
          return l;
        }
      } else {
        Node<T> lit = node.literals.get(segs[i]);
        if (lit != null) {
          Leaf<T> l = walk(lit, i + 1);
          if (l != null) {
            return l;
          }
        }
        if (node.variable != null && !segs[i].isEmpty()) {
          Leaf<T> l = walk(node.variable, i + 1);
          if (l != null) {
            return l;
          }
        }
      }
      return node.rest == null ? null : pick(node.rest.leaves);
    }

    private Leaf<T> pick(List<Leaf<T>> leaves) {
      Leaf<T> headViaGet = null;
      for (Leaf<T> l : leaves) {
        if (!l.conditions.test(request) || !l.accepts(path)) {
          continue;
        }
        if (l.methods.isEmpty() || l.methods.contains(method)) {
          return l;
        }
        if (headViaGet == null && "HEAD".equals(method) && l.methods.contains("GET")) {
          headViaGet = l;
        }
        if (!l.methods.isEmpty()) {
          if (allowed == null) {
            allowed = new TreeSet<>();
          }
          allowed.addAll(l.methods);
        }
      }
      return headViaGet;
    }
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

  /** Collects routes; reports conflicts instead of silently shadowing a route. */
  public static final class Builder<T> {
    private final Node<T> root = new Node<>();
    private final Map<String, Object> owners = new HashMap<>();

    /** Adds a route for one method without conditions; returns null, or the owner of a conflicting route. */
    public Object add(String method, PathTemplate template, T target, Object owner) {
      return add(Set.of(method), template, Conditions.NONE, 0, target, owner);
    }

    /**
     * Adds a route. {@code methods} empty means any method. Returns null on success, or the
     * owner (e.g. the config location) of a route that would tie with this one.
     */
    public Object add(Set<String> methods, PathTemplate template, Conditions conditions, int priority, T target,
        Object owner) {
      return add(methods, template, conditions, priority, null, target, owner);
    }

    /**
     * Adds a route whose template the trie can only widen: {@code accepts} (called on the IO
     * thread with the path as {@link #lookup} got it; must be cheap, pure and thread-safe) says
     * which of the paths that reach {@code template} are this route's; null means all. Returns
     * as {@link #add(Set, PathTemplate, Conditions, int, Object, Object)}: routes that differ only
     * in their filters still tie.
     */
    public Object add(Set<String> methods, PathTemplate template, Conditions conditions, int priority,
        Predicate<String> accepts, T target, Object owner) {
      List<String> keys = new ArrayList<>();
      for (String m : methods.isEmpty() ? Set.of("*") : methods) {
        keys.add(m + " " + template.shape() + " " + conditions + " " + priority);
      }
      for (String k : keys) {
        Object prev = owners.get(k);
        if (prev != null) {
          return prev;
        }
      }
      keys.forEach(k -> owners.put(k, owner));
      Node<T> n = root;
      List<Integer> named = new ArrayList<>();
      int i = 0;
      for (PathTemplate.Segment s : template.segments()) {
        if (s.isRest()) {
          if (n.rest == null) {
            n.rest = new Node<>();
          }
          n = n.rest;
        } else if (s.variable() != null) {
          if (s.isNamed()) {
            named.add(i);
          }
          if (n.variable == null) {
            n.variable = new Node<>();
          }
          n = n.variable;
        } else {
          n = n.literals.computeIfAbsent(s.literal(), k -> new Node<>());
        }
        i++;
      }
      int[] positions = named.stream().mapToInt(Integer::intValue).toArray();
      n.leaves.add(new Leaf<>(Set.copyOf(methods), conditions, priority, target, template, positions, accepts));
      n.leaves.sort(Comparator.<Leaf<T>>comparingInt(l -> -l.priority)
          .thenComparingInt(l -> -(l.conditions.count() + (l.methods.isEmpty() ? 0 : 1))));
      return null;
    }

    public Router<T> build() {
      return new Router<>(root);
    }
  }

  @Override
  public String toString() {
    return "Router" + Arrays.toString(new Object[] {root.literals.keySet()});
  }
}
