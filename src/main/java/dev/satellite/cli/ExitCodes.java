package dev.satellite.cli;

/** The process exit codes, part of the external contract. */
public final class ExitCodes {

  private ExitCodes() {
  }

  /** Clean shutdown. */
  public static final int OK = 0;
  /** Anything else fatal: failed start (port in use …), grace period ran out, second signal. */
  public static final int FATAL = 1;
  /** Bad configuration or usage; one line per problem on stderr, naming the key. */
  public static final int CONFIG = 2;
  /** The root supervisor gave up (crash-fast): the orchestrator should start a fresh process. */
  public static final int CRASH = 70;
}
