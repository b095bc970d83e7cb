package dev.satellite.actor;

/** Why an actor instance is considered crashed; the label is the {@code reason} of restart metrics. */
public enum CrashKind {
  /** A handler threw on the actor's context; the instance may be corrupt and is replaced, not reused. */
  EXCEPTION,
  /**
   * A message handler threw on a request that came through a circuit breaker (a "query of death"): the instance
   * is replaced like after any crash, but the crash does not count towards the supervisor's restart intensity —
   * the breaker in front contains a loop of such requests, so no sequence of client requests can make the
   * supervisor give up. Requests that reach an actor without a breaker crash it as {@link #EXCEPTION}.
   */
  POISON,
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
