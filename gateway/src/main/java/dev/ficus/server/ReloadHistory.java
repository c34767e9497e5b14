package dev.ficus.server;

import dev.ficus.config.ConfigProblem;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What the gateway is serving and how its reloads went: the configuration running (a version
 * that counts applied configurations from 1 at start, and the digest of its files), the last
 * attempt, the last refused one, counts, and the {@value #RECENT} most recent attempts. Every
 * reload is recorded here whatever started it, so that a refused {@code --watch} or signal
 * reload is visible on the admin listener and not only in the log.
 *
 * <p>Thread-safe: writers are serialised; readers (admin IO threads) take the immutable
 * {@link Snapshot} published last, without locking.
 */
public final class ReloadHistory {
  static final int RECENT = 20;

  /** What started a reload. */
  public enum Trigger {
    /** The gateway started with this configuration. */
    START,
    /** {@code POST /reload} on the admin listener. */
    ADMIN,
    /** {@code ficus run --watch} saw a file change. */
    WATCH,
    /** {@code SIGHUP}. */
    SIGNAL,
    /** {@link GatewayServer#reload()} called in the same process (embedding, tests). */
    API;

    /** The lower-case name shown on the admin listener and in the log. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The configuration being served: {@code version} 1 is the one the gateway started with. */
  public record Running(long version, String digest, Instant since, Trigger trigger) {}

  /**
   * One reload attempt. {@code digest} is that of the files read; {@code problems} is empty
   * when it was applied; {@code runningVersion} is the version served after it.
   */
  public record Attempt(Instant at, Trigger trigger, boolean applied, String digest, List<ConfigProblem> problems,
      long runningVersion) {
    public Attempt {
      problems = List.copyOf(problems);
    }
  }

  /**
   * The state at one moment. {@code lastAttempt} and {@code lastRefused} are null until there
   * is one; {@code recent} is newest first.
   */
  public record Snapshot(Running running, Attempt lastAttempt, Attempt lastRefused, long applied, long refused,
      List<Attempt> recent) {
    public Snapshot {
      recent = List.copyOf(recent);
    }

    /** Whether the newest reload attempt was refused (the previous configuration still serves). */
    public boolean lastRefusedIsLatest() {
      return lastAttempt != null && !lastAttempt.applied();
    }
  }

  private final ArrayDeque<Attempt> recent = new ArrayDeque<>();
  private volatile Snapshot snapshot;

  ReloadHistory(String startDigest, Instant at) {
    snapshot = new Snapshot(new Running(1, startDigest, at, Trigger.START), null, null, 0, 0, List.of());
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /** Records an applied configuration; returns the attempt. */
  synchronized Attempt applied(Trigger trigger, String digest, Instant at) {
    Snapshot s = snapshot;
    Running running = new Running(s.running().version() + 1, digest, at, trigger);
    Attempt a = new Attempt(at, trigger, true, digest, List.of(), running.version());
    snapshot = new Snapshot(running, a, s.lastRefused(), s.applied() + 1, s.refused(), remember(a));
    return a;
  }

  /** Records a refused configuration; returns the attempt. */
  synchronized Attempt refused(Trigger trigger, String digest, List<ConfigProblem> problems, Instant at) {
    Snapshot s = snapshot;
    Attempt a = new Attempt(at, trigger, false, digest, problems, s.running().version());
    snapshot = new Snapshot(s.running(), a, a, s.applied(), s.refused() + 1, remember(a));
    return a;
  }

  private List<Attempt> remember(Attempt a) {
    recent.addFirst(a);
    if (recent.size() > RECENT) {
      recent.removeLast();
    }
    return List.copyOf(recent);
  }
}
