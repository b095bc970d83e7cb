package dev.satellite.node;

import java.lang.management.ManagementFactory;
import java.time.Instant;

/**
 * When this process's JVM started (its own record, taken as the VM is created: the JVM's boot, class loading and the
 * command line's parsing all come after it). Not {@code ProcessHandle}'s start instant: on Linux that is derived from
 * the boot time, which the kernel gives to the second, so it can be up to a second early.
 */
public final class ProcessStart {

  private ProcessStart() {
  }

  public static Instant instant() {
    return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
  }
}
