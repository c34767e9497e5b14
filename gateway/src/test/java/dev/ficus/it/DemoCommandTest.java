package dev.ficus.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ficus.it.FicusCli.Run;
import dev.ficus.samples.soap.SoapSamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The first five minutes of a user: {@code --help} of each command, and {@code ficus demo}
 * started for real (the samples jar in a child JVM) where it must fail: a taken port, a
 * samples JVM that dies. Every port is ephemeral; the demo's fixed defaults are never used,
 * since other test runs share this machine.
 */
class DemoCommandTest {
  @TempDir
  Path dir;

  /** A listening socket on 127.0.0.1 that holds a port for the test. */
  private static ServerSocket holdAPort() {
    try {
      return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The samples' runnable jar: beside the samples classes on the test class path (in the
   * reactor build, {@code samples/target/}; offline, the jar installed in the local repository).
   */
  private static Path samplesJar() {
    try {
      Path classes = Path.of(SoapSamples.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path folder = Files.isDirectory(classes) ? classes.getParent() : classes.getParent();
      try (Stream<Path> files = Files.list(folder)) {
        return files.filter(f -> f.getFileName().toString().startsWith("ficus-samples")
                && f.getFileName().toString().endsWith("-all.jar"))
            .findFirst().orElseThrow(() -> new IllegalStateException("no runnable samples jar in " + folder
                + "; build it with mvn -DskipTests package"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code demo} with every port ephemeral except those {@code given} (option, value pairs). */
  private static Run demo(String... given) {
    List<String> options = List.of("--soap-port", "--grpc-port", "--monolith-port", "--new-service-port", "--admin-port");
    List<String> args = new ArrayList<>(List.of("demo", "-c", ConfigFiles.DEMO_MAPPINGS.toString(),
        "--listen", Loopback.HOST + ":" + Loopback.freePort()));
    args.addAll(List.of(given));
    for (String option : options) {
      if (!args.contains(option)) {
        args.addAll(List.of(option, Integer.toString(Loopback.freePort())));
      }
    }
    return FicusCli.ficus(args.toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "validate", "demo"})
  void everyCommandAnswersHelpWithItsUsage(String command) {
    Run run = FicusCli.ficus(command, "--help");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Usage: ficus " + command);
  }

  @Test
  void demoHelpShowsHowToMoveEveryPort() {
    Run run = FicusCli.ficus("demo", "--help");

    assertThat(run.out()).contains("--soap-port", "--grpc-port", "--monolith-port", "--new-service-port",
        "--admin-port", "--listen");
  }

  @Test
  void aDemoOnATakenPortFailsAtOnceNamingThePortAndTheOptionThatMovesIt() throws IOException {
    try (ServerSocket taken = holdAPort()) {
      Run run = demo("--samples-jar", samplesJar().toString(), "--soap-port", Integer.toString(taken.getLocalPort()));

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("port " + taken.getLocalPort()).contains("--soap-port");
      // The samples' JVM takes ~8 s to die of a taken port, and the demo used to wait 60 s.
      assertThat(run.millis()).isLessThan(5_000);
    }
  }

  @Test
  void aTakenAdminPortIsOneSentenceNamingItsOption() throws IOException {
    try (ServerSocket taken = holdAPort()) {
      Run run = demo("--samples-jar", samplesJar().toString(), "--admin-port", Integer.toString(taken.getLocalPort()));

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("port " + taken.getLocalPort()).contains("--admin-port")
          .doesNotContain("\tat ").hasLineCount(1);
    }
  }

  @Test
  void aSamplesJvmThatDiesIsNoticedAtOnce() throws IOException {
    // Not a jar: the child JVM exits at once with "Invalid or corrupt jarfile".
    Path broken = Files.writeString(dir.resolve("broken-samples.jar"), "not a jar");

    Run run = demo("--samples-jar", broken.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("exited");
    assertThat(run.millis()).isLessThan(15_000);
  }

  @Test
  void runOnATakenAdminPortSaysSoInOneSentence() throws IOException {
    try (ServerSocket taken = holdAPort()) {
      ConfigFiles.write(dir, "gateway.yaml", """
          ficus: gateway/v1
          listen: 127.0.0.1:%d
          upstreams:
            monolith: { url: "http://127.0.0.1:9" }
          routes:
            - { path: /**, to: monolith }
          admin:
            listen: 127.0.0.1:%d
          """.formatted(Loopback.freePort(), taken.getLocalPort()));

      Run run = FicusCli.ficus("run", "-c", dir.toString());

      assertThat(run.exitCode()).isEqualTo(2);
      // Undertow's own INFO lines may come first; the stack trace must not.
      assertThat(run.err()).containsPattern("(?m)^Ficus did not start: the admin listener cannot listen on 127\\.0\\.0\\.1:"
          + taken.getLocalPort() + ": .*\\.$").doesNotContain("\tat ");
    }
  }
}
