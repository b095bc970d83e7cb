package dev.satellite.health;

/** Where a node is in its life. Only {@link #READY} answers 200 on {@code /health/ready}. */
public enum NodePhase {
  STARTING, READY, DRAINING, STOPPED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
