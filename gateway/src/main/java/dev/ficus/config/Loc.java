package dev.ficus.config;

/** A place in a config file: file name as the user sees it, 1-based line and column. */
public record Loc(String file, int line, int column) {
  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ":" + column : file;
  }

  public static Loc of(String file) {
    return new Loc(file, 0, 0);
  }
}
