package dev.ficus.config;

/** One thing wrong with the configuration, with where it is and what to do about it. */
public record ConfigProblem(Loc loc, String message) implements Comparable<ConfigProblem> {
  @Override
  public String toString() {
    return loc + ": " + message;
  }

  @Override
  public int compareTo(ConfigProblem o) {
    int c = loc.file().compareTo(o.loc.file());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(loc.line(), o.loc.line());
    return c != 0 ? c : Integer.compare(loc.column(), o.loc.column());
  }
}
