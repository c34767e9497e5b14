package dev.ficus.cli;

import dev.ficus.server.GatewayServer;
import dev.ficus.server.ReloadHistory;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * {@code run --watch}: reloads the gateway when a file in the configuration directory changes
 * (after 300 ms of quiet, so an editor's save-rename dance causes one reload). A rejected
 * configuration is reported (and recorded, as every reload) and the running one stays. Runs on
 * its own daemon thread.
 */
final class ConfigWatcher implements Runnable {
  private final Path dir;
  private final GatewayServer server;

  ConfigWatcher(Path dir, GatewayServer server) {
    this.dir = dir;
    this.server = server;
  }

  static void start(Path dir, GatewayServer server) {
    Thread t = new Thread(new ConfigWatcher(dir, server), "ficus-config-watch");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void run() {
    try (WatchService ws = FileSystems.getDefault().newWatchService()) {
      dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
      while (!Thread.currentThread().isInterrupted()) {
        WatchKey key = ws.take();
        drain(key);
        // Debounce: wait until the directory has been quiet for 300 ms.
        WatchKey more;
        while ((more = ws.poll(300, TimeUnit.MILLISECONDS)) != null) {
          drain(more);
        }
        ReloadHistory.Attempt a = server.reload(ReloadHistory.Trigger.WATCH);
        ReloadReport.print(a, server.runtime().routes().size());
      }
    } catch (IOException e) {
      System.err.println("Cannot watch " + dir + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }
}
