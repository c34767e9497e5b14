package dev.ficus.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sentence for a file a configuration names that does not exist: relative paths say what
 * they are relative to (absolute ones do not), and the nearest existing name in the same
 * folder is suggested, written the way the author wrote the path. Stateless; any thread.
 */
public final class MissingFile {
  private MissingFile() {}

  /**
   * @param kind what the file is, e.g. "WSDL file"
   * @param given the path as written in the configuration
   * @param resolved {@code given} resolved against {@code base}
   * @param base what relative paths are resolved against, e.g. "the mapping file's folder"
   */
  public static String describe(String kind, String given, Path resolved, String base) {
    boolean relative = !Path.of(given).isAbsolute();
    String sentence = kind + " '" + given + "' does not exist" + (relative ? " (relative to " + base + ")" : "");
    Path folder = resolved.getParent();
    if (folder == null) {
      return sentence;
    }
    if (!Files.isDirectory(folder)) {
      return sentence + ": there is no folder " + folderAsWritten(given);
    }
    List<String> names;
    try (Stream<Path> files = Files.list(folder)) {
      names = files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return sentence;
    }
    String best = Problems.didYouMean(resolved.getFileName().toString(), names);
    return best == null ? sentence : sentence + "; did you mean '" + sameFolder(given, best) + "'?";
  }

  /** {@code given} with its last name replaced by {@code name}. */
  private static String sameFolder(String given, String name) {
    int slash = Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\'));
    return given.substring(0, slash + 1) + name;
  }

  private static String folderAsWritten(String given) {
    int slash = Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\'));
    return slash > 0 ? "'" + given.substring(0, slash) + "'" : "'" + given + "'";
  }
}
