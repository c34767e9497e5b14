package dev.ficus.it;

import dev.ficus.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs the {@code ficus} command line in-process through picocli ({@code Main.main} would call
 * System.exit), with System.out and System.err captured. Not thread-safe: one run at a time
 * (the JUnit default).
 */
public final class FicusCli {
  private FicusCli() {}

  /** What a run printed and returned. */
  public record Run(int exitCode, String out, String err, long millis) {}

  public static Run ficus(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    long start = System.nanoTime();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = new CommandLine(new Main()).execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8),
          (System.nanoTime() - start) / 1_000_000);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
