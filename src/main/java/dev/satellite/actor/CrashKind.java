package dev.satellite.actor;

/** Why an actor instance is considered crashed; the label is the {@code reason} of restart metrics. */
public enum CrashKind {
  /** A handler threw on the actor's context; the instance may be corrupt and is replaced, not reused. */
  EXCEPTION,
  /** {@code start()} failed. */
  START_FAILED,
  /** {@code start()} did not finish within the child's start timeout. */
  START_TIMEOUT,
  /** The actor called {@link Actor#crash(String)}. */
  EXPLICIT,
  /** The instance did not answer a liveness ping in time. */
  UNRESPONSIVE,
  /** A nested supervisor gave up. */
  ESCALATED,
  /** Restarted because a sibling crashed (one_for_all, rest_for_one). */
  SIBLING;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
