package dev.ficus.samples;

import java.util.Map;

/**
 * A sample system started by {@link SamplesMain}: it serves some URLs until closed.
 * Implementations are thread-safe and {@link #close()} is idempotent.
 */
public interface RunningSample extends AutoCloseable {

  /** The URLs served, in a stable order, keyed by a short dotted name such as {@code soap.echo}. */
  Map<String, String> urls();

  /** Stops serving and releases the ports; never throws a checked exception. */
  @Override
  void close();
}
