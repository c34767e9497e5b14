package dev.ficus.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every configuration problem so that validation reports all of them at once, and the
 * warnings: things the configuration leaves out but that do not stop the rest from being
 * served (a {@code google.api.http} rule of a vendor's proto that the gateway cannot serve).
 * Warnings never count as problems ({@link #size}, {@link #isEmpty}, {@link #throwIfAny}).
 * Not thread-safe: one instance per load.
 */
public final class Problems {
  private final List<ConfigProblem> list = new ArrayList<>();
  private final List<ConfigProblem> warnings = new ArrayList<>();
  /** "file:line" of each value that lost an unset ${VAR}: later problems there are follow-ons. */
  private final Set<String> unsetLines = new HashSet<>();
  private int followOns;

  public void add(Loc loc, String message) {
    if (loc != null && loc.line() > 0 && unsetLines.contains(loc.file() + ":" + loc.line())) {
      // The value is '' only because its variable is unset, which is reported already: a second
      // message ("endpoint '' must be...") would send the author after the wrong problem.
      followOns++;
      return;
    }
    list.add(new ConfigProblem(loc, message));
  }

  /** Records a warning; the configuration stays valid. */
  public void warn(Loc loc, String message) {
    warnings.add(new ConfigProblem(loc, message));
  }

  /** Warnings sorted by file, line and column. */
  public List<ConfigProblem> warnings() {
    List<ConfigProblem> copy = new ArrayList<>(warnings);
    copy.sort(null);
    return List.copyOf(copy);
  }

  /**
   * Reports an unset {@code ${VAR}} at {@code loc}; problems found later on the same line are
   * taken as its follow-ons and not reported (they still count in {@link #size}, so that a
   * compiler that compares sizes still sees that something failed).
   */
  public void unsetVariable(Loc loc, String message) {
    list.add(new ConfigProblem(loc, message));
    unsetLines.add(loc.file() + ":" + loc.line());
  }

  public void addAll(Collection<ConfigProblem> more) {
    list.addAll(more);
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** Problems reported so far, follow-ons of unset variables included. */
  public int size() {
    return list.size() + followOns;
  }

  /** Problems sorted by file, line and column. */
  public List<ConfigProblem> sorted() {
    List<ConfigProblem> copy = new ArrayList<>(list);
    copy.sort(null);
    return List.copyOf(copy);
  }

  /** Throws {@link ConfigException} carrying all problems, if there are any. */
  public void throwIfAny() {
    if (!list.isEmpty()) {
      throw new ConfigException(sorted());
    }
  }

  /** The closest candidate to {@code given} by edit distance, or null when none is close. */
  public static String didYouMean(String given, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(given.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= Math.max(2, given.length() / 3) ? best : null;
  }

  /** "; did you mean 'x'?" or the list of candidates, for error messages. */
  public static String suggestion(String given, Collection<String> candidates) {
    String best = didYouMean(given, candidates);
    if (best != null) {
      return "; did you mean '" + best + "'?";
    }
    if (candidates.isEmpty()) {
      return "";
    }
    List<String> sorted = new ArrayList<>(candidates);
    sorted.sort(null);
    if (sorted.size() > 12) {
      sorted = sorted.subList(0, 12);
      return "; expected one of: " + String.join(", ", sorted) + ", …";
    }
    return "; expected one of: " + String.join(", ", sorted);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
