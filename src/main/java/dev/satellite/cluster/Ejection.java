package dev.satellite.cluster;

import java.util.Locale;

/** Why a node was taken out of this node's routing. */
public enum Ejection {

  /** A tick to it could not be written: its connection was refused or closed (the process is gone). */
  UNREACHABLE,
  /** Its ticks stopped for {@code cluster.ejectAfter} (frozen, partitioned, or its event loops starved). */
  SILENT,
  /** A request to it timed out (it keeps the requests it has: its ticks say it is alive). */
  TIMEOUT;

  /** The {@code reason} tag of {@code satellite_cluster_ejections_total}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the requests waiting on the node are failed at once: it will not answer them. */
  boolean lost() {
    return this != TIMEOUT;
  }
}
