package dev.ficus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a JVM of its own, with a heap of the test's choosing ({@code -Xmx256m} for the
 * hostile-peer load tests): what an operator runs, so that an {@code OutOfMemoryError} or a hung
 * process shows as such instead of taking the test JVM with it. The child runs
 * {@code dev.ficus.cli.Main run} on the test class path, listens on a free loopback port and
 * logs to {@code gateway.log} in the configuration directory.
 *
 * <p>{@link #close()} sends SIGTERM and waits; a child still alive after that is killed, so a
 * test never leaves a process behind. Only the process this object started is ever signalled.
 */
public final class GatewayProcess implements AutoCloseable {
  private static final String READY = "Ficus listening";

  private final Process process;
  private final int port;
  private final Path log;

  private GatewayProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code ficus run -c configDir} with {@code -Xmx<heap>} (e.g. "256m") and waits up to
   * 30 s for it to listen. Extra JVM options (system properties) may be given.
   */
  public static GatewayProcess start(Path configDir, String heap, String... jvmOptions) {
    int port = freePort();
    Path log = configDir.resolve("gateway.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    // An OutOfMemoryError must end the test visibly, not leave a half-dead process behind.
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ficus.cli.Main", "run", "-c",
        configDir.toString(), "--listen", "127.0.0.1:" + port));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      GatewayProcess g = new GatewayProcess(p, port, log);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        if (Files.exists(log) && Files.readString(log).contains(READY)) {
          return g;
        }
        if (!p.isAlive()) {
          break;
        }
        Thread.sleep(50);
      }
      g.close();
      throw new AssertionError("the gateway did not start:\n" + g.log());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while starting the gateway", e);
    }
  }

  /** The client listener's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** What the gateway printed so far (stdout and stderr). */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Sends SIGTERM and waits up to {@code seconds} for the process to end; true if it did. */
  public boolean terminate(long seconds) throws InterruptedException {
    process.destroy();
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    try {
      if (!terminate(10)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A TCP port that was free on 127.0.0.1 a moment ago (bound, then released). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
