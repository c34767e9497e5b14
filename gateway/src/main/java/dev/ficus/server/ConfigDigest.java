package dev.ficus.server;

import dev.ficus.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A short digest of a configuration directory's files, those {@link ConfigLoader#files} reads: an operator compares it with
 * the digest of the files they deployed to know which ones the gateway serves. WSDLs, protos
 * and other files the configuration names are not in it. Stateless; blocks on file IO.
 */
final class ConfigDigest {
  private ConfigDigest() {}

  /** {@code sha256:} and the first 16 hex digits; {@code unreadable} when the directory cannot be listed. */
  static String of(Path dir) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    List<Path> files;
    try {
      files = ConfigLoader.files(dir);
    } catch (IOException e) {
      return "unreadable";
    }
    for (Path f : files) {
      byte[] name = f.getFileName().toString().getBytes(StandardCharsets.UTF_8);
      byte[] content;
      try {
        content = Files.readAllBytes(f);
      } catch (IOException e) {
        content = new byte[0];
      }
      // Lengths first, so that no two different sets of files give the same byte stream.
      md.update(lengthOf(name.length));
      md.update(name);
      md.update(lengthOf(content.length));
      md.update(content);
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest(), 0, 8);
  }

  private static byte[] lengthOf(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }
}
