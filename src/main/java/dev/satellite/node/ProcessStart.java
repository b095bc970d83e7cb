package dev.satellite.node;

import java.lang.management.ManagementFactory;
import java.time.Instant;

/**
 * When this process started, as the operating system saw it (so the JVM's own boot, class loading and the command
 * line's parsing are inside "start to ready"), or, where the system does not say, when the JVM started.
 */
public final class ProcessStart {

  private ProcessStart() {
  }

  public static Instant instant() {
    return ProcessHandle.current().info().startInstant()
        .orElseGet(() -> Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
  }
}
