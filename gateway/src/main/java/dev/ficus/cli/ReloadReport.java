package dev.ficus.cli;

import dev.ficus.server.ReloadHistory;

/** Prints the outcome of a reload started from the command line's side (--watch, SIGHUP). Any thread. */
final class ReloadReport {
  private ReloadReport() {}

  static void print(ReloadHistory.Attempt a, int routes) {
    String by = " (" + a.trigger().label() + ")";
    if (a.applied()) {
      System.out.println("Configuration reloaded" + by + ": version " + a.runningVersion() + ", " + a.digest() + ", "
          + routes + " route(s)");
    } else {
      System.err.println("Configuration change rejected" + by + "; still serving version " + a.runningVersion() + ":");
      a.problems().forEach(p -> System.err.println("  " + p));
    }
  }
}
