package dev.ficus.testing;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU time, for time bounds that must hold on a busy machine: a test that asserts wall-clock
 * time fails when other processes take the CPUs, while the CPU a translation spends is its own.
 * Process time covers an in-process gateway's worker and IO threads; thread time the caller's.
 */
public final class CpuTime {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CpuTime() {}

  /** CPU time used by this JVM so far, in nanoseconds. */
  public static long process() {
    return OS.getProcessCpuTime();
  }

  /** CPU time used by the calling thread so far, in nanoseconds. */
  public static long thread() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /** The process CPU time spent since {@code start} (a value of {@link #process()}). */
  public static Duration processSince(long start) {
    return Duration.ofNanos(process() - start);
  }
}
