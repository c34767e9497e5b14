package dev.ficus.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback helpers for the integration tests. */
final class Loopback {
  static final String HOST = "127.0.0.1";

  private Loopback() {}

  /** A TCP port that was free on 127.0.0.1 a moment ago (bound, then released). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
