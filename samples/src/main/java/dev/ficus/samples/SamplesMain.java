package dev.ficus.samples;

import dev.ficus.samples.grpc.InventorySample;
import dev.ficus.samples.http.HttpSamples;
import dev.ficus.samples.soap.SoapSamples;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the sample legacy systems for the demo:
 * {@code java -jar samples/target/ficus-samples-all.jar [--soap-port 7101] [--token legacy-secret]
 * [--monolith-port 7103] [--new-service-port 7104] [--grpc-port 7102]}.
 *
 * <p>Prints one {@code <name> <url>} line per URL served, then {@code READY} on its own
 * line (launchers wait for it), and runs until the process is killed; a shutdown hook
 * stops the systems. Bad options print the usage to stderr and exit with status 2; a
 * failure to start exits with status 1.
 */
public final class SamplesMain {

  private static final String HOST = "127.0.0.1";

  private SamplesMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    SamplesOptions options;
    try {
      options = SamplesOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(SamplesOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(SamplesOptions.USAGE);
      return;
    }

    List<RunningSample> running;
    try {
      running = start(options);
    } catch (RuntimeException e) {
      System.err.println("error: could not start the samples: " + e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(running), "samples-shutdown"));
    announce(running, System.out);
    new CountDownLatch(1).await();
  }

  /**
   * Starts every sample system the options ask for; on failure, stops those already
   * started and rethrows. New sample systems (e.g. gRPC) are started here, each on its own
   * port: the SOAP samples, then the HTTP monolith and the new customer service.
   */
  static List<RunningSample> start(SamplesOptions options) {
    List<RunningSample> running = new ArrayList<>();
    try {
      running.add(SoapSamples.start(HOST, options.soapPort(), options.soapToken()));
      running.add(HttpSamples.start(HOST, options.monolithPort(), options.newServicePort()));
      running.add(InventorySample.start(HOST, options.grpcPort()));
    } catch (RuntimeException e) {
      closeAll(running);
      throw e;
    }
    return List.copyOf(running);
  }

  static void announce(List<RunningSample> running, PrintStream out) {
    for (RunningSample sample : running) {
      sample.urls().forEach((name, url) -> out.println(name + " " + url));
    }
    out.println("READY");
    out.flush();
  }

  private static void closeAll(List<RunningSample> running) {
    for (RunningSample sample : running) {
      try {
        sample.close();
      } catch (RuntimeException e) {
        System.err.println("warning: could not stop a sample cleanly: " + e);
      }
    }
  }
}
