package dev.satellite.edge.breaker;

/** What one call says about the target behind a breaker. */
public enum Verdict {
  /** The target answered (a 4xx included: that is the caller's mistake, and it shows the target alive). */
  SUCCESS,
  /** The target failed: a timeout, a crash, a refused or reset connection, a 5xx. */
  FAILURE,
  /**
   * Nothing either way: the client went away before the answer, or the caller's own shortened deadline ran out.
   * While closed such a call neither counts nor starts the count again; as a half-open probe it proved nothing, so
   * the breaker opens again.
   */
  NONE
}
