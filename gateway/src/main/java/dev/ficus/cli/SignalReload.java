package dev.ficus.cli;

import dev.ficus.server.GatewayServer;
import dev.ficus.server.ReloadHistory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code SIGHUP} reloads the configuration, as nginx, HAProxy and Envoy's hot restarter do,
 * instead of the JVM's default of stopping the process. The reload is the same as
 * {@code POST /reload} and {@code --watch} ({@link GatewayServer#reload(ReloadHistory.Trigger)}):
 * an invalid configuration is refused and recorded, the running one stays.
 *
 * <p>The signal handler only queues: the reload runs on one daemon thread, and signals that
 * arrive while one is queued are folded into it (one that arrives while a reload runs queues
 * another, since the files may have changed after they were read).
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the only way a Java program
 * handles a signal. Where it is missing (a trimmed runtime image) or HUP is unknown (Windows),
 * the gateway starts without it and says so.
 */
final class SignalReload {
  private SignalReload() {}

  /** Installs the handler; false (and a line on stderr) when this JVM cannot. */
  static boolean install(GatewayServer server) {
    try {
      Hangup.install(server);
      return true;
    } catch (LinkageError | IllegalArgumentException | IllegalStateException | SecurityException e) {
      System.err.println("SIGHUP will not reload the configuration on this JVM (" + e
          + "); use POST /reload on the admin listener or --watch");
      return false;
    }
  }

  /** Holds the only reference to sun.misc: a JVM without it fails when this class links, inside {@link #install}. */
  private static final class Hangup {
    static void install(GatewayServer server) {
      ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ficus-reload-signal");
        t.setDaemon(true);
        return t;
      });
      AtomicBoolean queued = new AtomicBoolean();
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
        if (queued.compareAndSet(false, true)) {
          worker.execute(() -> {
            queued.set(false);
            try {
              ReloadHistory.Attempt a = server.reload(ReloadHistory.Trigger.SIGNAL);
              ReloadReport.print(a, server.runtime().routes().size());
            } catch (RuntimeException e) {
              // A failure of the reload itself (not of the configuration), e.g. while shutting down.
              System.err.println("Reload on SIGHUP failed; still serving the previous configuration: " + e);
            }
          });
        }
      });
    }
  }
}
