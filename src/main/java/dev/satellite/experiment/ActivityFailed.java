package dev.satellite.experiment;

/**
 * An activity that could not do its work (a connection refused, a timeout, a process that cannot start): its run
 * is {@code failed} with this message, as Chaos Toolkit's {@code ActivityFailed}. An HTTP error status or a
 * non-zero exit code is not a failure: it is output for a tolerance to judge.
 *
 * <p>Thread-safe: immutable.
 */
public final class ActivityFailed extends Exception {

  public ActivityFailed(String message) {
    super(message);
  }

  public ActivityFailed(String message, Throwable cause) {
    super(message, cause);
  }
}
