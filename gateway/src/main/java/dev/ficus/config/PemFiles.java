package dev.ficus.config;

import dev.ficus.http.TlsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * Reads the PEM files a configuration names (CAs, client certificates, keys) when it loads, so
 * that a missing or useless file is a problem at its key rather than a failure at the first call;
 * a missing one is named as {@link MissingFile} names every missing file, with the nearest name.
 */
public final class PemFiles {
  private PemFiles() {}

  /**
   * The bytes of {@code file} resolved against {@code dir} (which {@code base} names in the
   * problem, e.g. "the mapping file's folder"); null, with a problem at {@code at}, when it
   * cannot be read.
   */
  public static byte[] read(Path dir, String file, String base, Loc at, Problems problems) {
    Path resolved = dir.resolve(file).normalize();
    try {
      return Files.readAllBytes(resolved);
    } catch (NoSuchFileException e) {
      problems.add(at, MissingFile.describe("PEM file", file, resolved, base));
      return null;
    } catch (IOException e) {
      problems.add(at, "'" + file + "' cannot be read (relative to " + base + "): " + e.getMessage());
      return null;
    }
  }

  /** As {@link #read}, and the file must hold at least one PEM certificate (a CA bundle). */
  public static byte[] readCa(Path dir, String file, String base, Loc at, Problems problems) {
    byte[] pem = read(dir, file, base, at, problems);
    if (pem == null) {
      return null;
    }
    try {
      TlsClient.trustManagers(pem);
      return pem;
    } catch (GeneralSecurityException e) {
      problems.add(at, "'" + file + "' holds no usable PEM certificate: " + e.getMessage());
      return null;
    }
  }
}
