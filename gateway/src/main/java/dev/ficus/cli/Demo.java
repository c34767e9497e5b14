package dev.ficus.cli;

import dev.ficus.config.ConfigException;
import dev.ficus.server.GatewayServer;
import dev.ficus.server.ListenException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ficus demo}: starts the sample legacy systems (a child JVM running the samples jar),
 * waits until they are ready, starts the gateway with {@code mappings/}, and prints what to
 * {@code curl}. Ctrl-C stops both.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start the sample legacy systems and the gateway with the demo mappings.",
    footer = {"",
        "Every port is on 127.0.0.1 and must be free: the demo checks them before it",
        "starts anything. The port options set CUSTOMER_SOAP_URL, CALCULATOR_SOAP_URL,",
        "INVENTORY_GRPC, MONOLITH_URL, NEW_CUSTOMERS_URL and FICUS_ADMIN_LISTEN for",
        "mappings/; a variable already set in the environment wins. Every port moved:",
        "  ficus demo --soap-port 17101 --grpc-port 17102 --monolith-port 17103 \\",
        "      --new-service-port 17104 --admin-port 19090 --listen 127.0.0.1:18080"})
final class Demo implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, defaultValue = "mappings", description = "configuration directory (default: ${DEFAULT-VALUE})")
  Path config;

  @Option(names = "--samples-jar", defaultValue = "samples/target/ficus-samples-all.jar",
      description = "the samples jar (default: ${DEFAULT-VALUE})")
  Path samplesJar;

  @Option(names = "--soap-port", defaultValue = "7101", description = "port of the sample SOAP services (default: ${DEFAULT-VALUE})")
  int soapPort;

  @Option(names = "--grpc-port", defaultValue = "7102", description = "port of the sample gRPC inventory service (default: ${DEFAULT-VALUE})")
  int grpcPort;

  @Option(names = "--monolith-port", defaultValue = "7103", description = "port of the sample legacy monolith (default: ${DEFAULT-VALUE})")
  int monolithPort;

  @Option(names = "--new-service-port", defaultValue = "7104", description = "port of the sample new customer service (default: ${DEFAULT-VALUE})")
  int newServicePort;

  @Option(names = "--admin-port", defaultValue = "9090",
      description = "port of the gateway's admin listener (default: ${DEFAULT-VALUE})")
  int adminPort;

  @Option(names = "--listen", description = "gateway listener host:port (default: the configuration's 'listen', "
      + "127.0.0.1:8080 in mappings/)")
  String listen;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(samplesJar)) {
      System.err.println("The samples jar " + samplesJar + " is missing: build it first with 'mvn -q -DskipTests package'.");
      return 2;
    }
    String busy = busyPort();
    if (busy != null) {
      System.err.println(busy);
      return 2;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-jar", samplesJar.toString(),
        "--soap-port", Integer.toString(soapPort), "--monolith-port", Integer.toString(monolithPort),
        "--new-service-port", Integer.toString(newServicePort), "--grpc-port", Integer.toString(grpcPort),
        "--token", "legacy-secret"));
    Process samples = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Runtime.getRuntime().addShutdownHook(new Thread(samples::destroy));
    if (!awaitReady(samples)) {
      System.err.println(samples.isAlive()
          ? "The sample systems did not print READY within 60 s; see their output above."
          : "The sample systems exited (status " + samples.exitValue() + ") before they were ready; see their output above.");
      samples.destroy();
      return 2;
    }
    GatewayServer server;
    try {
      server = Main.Listen.start(config, listen, demoEnvironment());
    } catch (ConfigException e) {
      Main.printProblems(e.problems());
      samples.destroy();
      return 2;
    } catch (ListenException e) {
      System.err.println("The demo did not start: " + e.getMessage() + "; "
          + (e.listener() == ListenException.Listener.ADMIN ? "move it with --admin-port PORT." : "move it with --listen HOST:PORT."));
      samples.destroy();
      return 2;
    }
    String base = "http://" + Main.Listen.host(server) + ":" + server.port();
    System.out.println();
    System.out.println("Ficus demo is up: gateway on " + base + "; sample SOAP services on 127.0.0.1:" + soapPort
        + ", gRPC inventory on 127.0.0.1:" + grpcPort + ", legacy monolith on 127.0.0.1:" + monolithPort + ", new customer service on 127.0.0.1:" + newServicePort);
    server.runtime().routes().forEach(r -> System.out.println("  " + r));
    System.out.println();
    System.out.println("Try:");
    tryLines(base).forEach(l -> System.out.println("  " + l));
    if (server.adminPort() > 0) {
      System.out.println();
      System.out.println("Migration report (admin listener):");
      reportLines("http://127.0.0.1:" + server.adminPort()).forEach(l -> System.out.println("  " + l));
    }
    System.out.println();
    System.out.println("Press Ctrl-C to stop.");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      samples.destroy();
      stop.countDown();
    }));
    samples.onExit().thenRun(() -> {
      System.err.println("The sample systems stopped.");
      stop.countDown();
    });
    stop.await();
    return 0;
  }

  /**
   * The calls the demo prints to try, against the gateway at {@code base}; a line ending in
   * a backslash goes on in the next. The README's tour is this list (with the reports), and
   * DocsExamplesTest keeps the two equal. The customer lookups force the legacy side of the
   * 90/10 split, so that what a user sees, the parity report included, does not depend on the
   * split's draw.
   */
  static List<String> tryLines(String base) {
    return List.of(
        "curl -s -H 'X-Ficus-Target: mapping' " + base + "/api/customers/1      # the legacy side: typed by the XSD",
        "curl -s '" + base + "/api/customers?lastName=Nakamura'                  # always an array, even for one",
        "curl -s -H 'X-Ficus-Target: mapping' " + base + "/api/customers/999    # declared SOAP fault -> 404 problem+json",
        "curl -s -X POST " + base + "/api/customers -H 'Content-Type: application/json' \\",
        "     -d '{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"creditLimit\":1500.25}'",
        "curl -s -X POST " + base + "/api/customers -H 'Content-Type: application/json' \\",
        "     -d '{\"firstName\":\"Ada\",\"creditLimit\":\"lots\"}'                # 400 naming every field at fault",
        "curl -s -i -X POST " + base + "/api/customers/1/visits -H 'Content-Type: application/json' \\",
        "     -d '{\"channel\":\"web\",\"at\":\"2026-11-28T10:00:00Z\"}'           # one-way -> 202",
        "curl -s '" + base + "/api/calculator/add?a=2&b=40'                      # rpc/literal -> 42",
        "curl -s " + base + "/v1/warehouses/main/items/hammer                    # gRPC, from the proto's google.api.http",
        // Quoted: zsh and bash with failglob treat the unquoted '?' as a glob.
        "curl -s -H 'Accept: application/x-ndjson' '" + base + "/v1/warehouses/main/items/hammer:watch?count=3'   # server streaming",
        "curl -s " + base + "/v1/warehouses/main/items/anvil                     # NOT_FOUND -> 404 with the status details",
        "curl -s " + base + "/api/orders/1001                                    # not migrated: the monolith answers",
        "curl -s -i -H 'X-Ficus-Target: customers-v2' " + base + "/api/customers/4   # force the new service",
        "for i in 1 2 3 4 5 6; do curl -s -o /dev/null -H 'X-Ficus-Target: mapping' " + base
            + "/api/customers/$i; done   # shadowed to the new service and compared");
  }

  /** The migration reports of the admin listener at {@code admin}, printed after {@link #tryLines}. */
  static List<String> reportLines(String admin) {
    return List.of(
        "curl -s " + admin + "/migration/parity                   # the new service vs legacy, with the diffs",
        "curl -s " + admin + "/migration/inventory.csv            # what still reaches the monolith");
  }

  /** The process environment, plus backend URLs pointing at the sample ports unless already set. */
  private java.util.function.Function<String, String> demoEnvironment() {
    java.util.Map<String, String> urls = java.util.Map.of(
        "CUSTOMER_SOAP_URL", "http://127.0.0.1:" + soapPort + "/ws/customers",
        "CALCULATOR_SOAP_URL", "http://127.0.0.1:" + soapPort + "/ws/calculator",
        "INVENTORY_GRPC", "127.0.0.1:" + grpcPort,
        "MONOLITH_URL", "http://127.0.0.1:" + monolithPort,
        "NEW_CUSTOMERS_URL", "http://127.0.0.1:" + newServicePort,
        "FICUS_ADMIN_LISTEN", "127.0.0.1:" + adminPort);
    return name -> {
      String v = System.getenv(name);
      return v != null ? v : urls.get(name);
    };
  }

  /**
   * The sentence to print when a port the demo is about to use is taken or given twice, or
   * null when all are free. Binding a socket for an instant is the only reliable test; it
   * spares the user the samples' own stack trace 10 s later (their JVM dies on a taken port).
   * The admin port is checked only when the option, not FICUS_ADMIN_LISTEN, places it.
   */
  private String busyPort() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("--soap-port", soapPort);
    ports.put("--grpc-port", grpcPort);
    ports.put("--monolith-port", monolithPort);
    ports.put("--new-service-port", newServicePort);
    if (System.getenv("FICUS_ADMIN_LISTEN") == null) {
      ports.put("--admin-port", adminPort);
    }
    Map<Integer, String> seen = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      String other = seen.putIfAbsent(e.getValue(), e.getKey());
      if (other != null && e.getValue() != 0) {
        return "The demo did not start: " + other + " and " + e.getKey() + " are both " + e.getValue()
            + "; give each its own port.";
      }
    }
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      int port = e.getValue();
      if (port == 0) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
      } catch (IOException taken) {
        return "The demo did not start: port " + port + " on 127.0.0.1 (" + e.getKey() + ") is in use ("
            + taken.getMessage() + "); stop what holds it or move it with " + e.getKey() + " PORT (see ficus demo --help).";
      }
    }
    return null;
  }

  /**
   * Copies the child's output and returns true once it prints READY (within 60 s), false as
   * soon as it exits: a JVM that died of a taken port must not cost the user the whole wait.
   */
  private static boolean awaitReady(Process p) throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(1);
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if ("READY".equals(line.trim())) {
            ready.countDown();
          } else if (ready.getCount() > 0) {
            System.out.println("[samples] " + line);
          }
        }
      } catch (IOException ignored) {
        // the child exited
      }
    }, "samples-output");
    pump.setDaemon(true);
    pump.start();
    p.onExit().thenRun(ready::countDown);
    ready.await(60, TimeUnit.SECONDS);
    if (!p.isAlive()) {
      // Let the pump print the child's last words (its error) before ours.
      pump.join(2000);
      return false;
    }
    return ready.getCount() == 0;
  }
}
