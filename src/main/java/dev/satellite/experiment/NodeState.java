package dev.satellite.experiment;

/**
 * What the runner sees of a local node: {@code starting} (alive, not ready yet), {@code serving} (ready),
 * {@code down} (exited on its own or killed, or alive but no longer ready after serving), {@code frozen} (stopped by
 * SIGSTOP), {@code stopped} (exited cleanly, or stopped on purpose).
 */
public enum NodeState {
  STARTING, SERVING, DOWN, FROZEN, STOPPED;

  public String json() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
