package dev.ficus.cli;

import dev.ficus.config.ConfigException;
import dev.ficus.config.ConfigProblem;
import dev.ficus.config.Problems;
import dev.ficus.server.GatewayCompiler;
import dev.ficus.server.GatewayServer;
import dev.ficus.server.ListenException;
import dev.ficus.soap.SoapClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code ficus} command line: {@code run}, {@code validate}, {@code demo}. */
@Command(name = "ficus", mixinStandardHelpOptions = true, version = "ficus 0.1.0",
    description = "Ficus, the strangler-fig gateway: REST/JSON in front of SOAP and gRPC systems and a legacy monolith.",
    subcommands = {Main.Run.class, Main.Validate.class, Demo.class})
public final class Main implements Callable<Integer> {

  /** Read by ForkJoinPool once, when it is first used; see {@link #main}. */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  public static void main(String[] args) {
    // With fewer than two common-pool threads (any machine with two CPUs or fewer),
    // CompletableFuture's default async executor starts a new thread per task, and the JDK
    // HttpClient completes every backend call through it: one thread start per request
    // (docs/performance.md). Two pool threads make it reuse threads. Must run before anything
    // touches ForkJoinPool or CompletableFuture; an explicit -D setting wins.
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0 || (args.length > 0 && "validate".equals(args[0]))) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  /** Prints problems in the file:line:col form editors and CI understand. */
  static void printProblems(java.util.List<ConfigProblem> problems) {
    for (ConfigProblem p : problems) {
      System.err.println(p);
    }
    System.err.println(problems.size() + " problem(s) found.");
  }

  /** Prints warnings as "file:line:col: warning: ..." lines. */
  static void printWarnings(java.util.List<ConfigProblem> warnings) {
    for (ConfigProblem w : warnings) {
      System.err.println(w.loc() + ": warning: " + w.message());
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Start the gateway with a configuration directory.")
  static final class Run implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, defaultValue = "mappings", description = "configuration directory (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--listen", description = "host:port to listen on, overriding gateway.yaml")
    String listen;

    @Option(names = "--watch", description = "reload when a file of the configuration directory changes "
        + "(SIGHUP reloads too, with or without it)")
    boolean watch;

    @Override
    public Integer call() throws InterruptedException {
      GatewayServer server;
      try {
        server = Listen.start(config, listen);
      } catch (ConfigException e) {
        printProblems(e.problems());
        System.err.println("Ficus did not start: fix the configuration and try again.");
        return 2;
      } catch (ListenException e) {
        System.err.println("Ficus did not start: " + e.getMessage() + ".");
        return 2;
      }
      printWarnings(server.runtime().warnings());
      // Before the banner: whoever waits for it may send SIGHUP at once.
      SignalReload.install(server);
      System.out.println("Ficus listening on http://" + Listen.host(server) + ":" + server.port());
      server.runtime().routes().forEach(r -> System.out.println("  " + r));
      if (server.adminPort() > 0) {
        System.out.println("Admin listener on port " + server.adminPort());
      }
      if (watch) {
        ConfigWatcher.start(config, server);
      }
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stop.countDown();
      }));
      stop.await();
      return 0;
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a configuration directory; exits non-zero with every problem found.")
  static final class Validate implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "mappings", description = "configuration directory (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--offline", description = "read nothing over the network: a WSDL given by URL or gRPC server "
        + "reflection is reported instead of fetched (for CI without access to the backends)")
    boolean offline;

    @Override
    public Integer call() {
      GatewayCompiler compiler = new GatewayCompiler(System::getenv);
      Problems problems = new Problems();
      var spec = compiler.load(config, problems);
      var shared = new dev.ficus.server.SharedState(1, 1);
      try {
        // Compile even when loading found problems, so that every problem is reported at once.
        var rt = compiler.compile(spec, shared, problems, offline);
        printWarnings(problems.warnings());
        if (rt != null) {
          System.out.println(config + ": OK, " + rt.routes().size() + " route(s)"
              + (rt.warnings().isEmpty() ? "" : ", " + rt.warnings().size() + " warning(s)"));
          rt.routes().forEach(r -> System.out.println("  " + r));
          return 0;
        }
        printProblems(problems.sorted());
        return 1;
      } finally {
        shared.close();
      }
    }
  }

  /** Helpers shared by run and demo. */
  static final class Listen {
    private Listen() {}

    static GatewayServer start(Path config, String listen) {
      return start(config, listen, System::getenv);
    }

    static GatewayServer start(Path config, String listen, java.util.function.Function<String, String> env) {
      String host = null;
      Integer port = null;
      if (listen != null) {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
          throw new CommandLine.ParameterException(new CommandLine(new Main()), "--listen must be host:port");
        }
        host = listen.substring(0, colon);
        port = Integer.parseInt(listen.substring(colon + 1));
      }
      return GatewayServer.start(config, env, host, port);
    }

    static String host(GatewayServer s) {
      return s.runtime().gateway().host();
    }
  }
}
