package dev.satellite.supervision;

/**
 * Ends the process when supervision cannot go on: the root supervisor gave up, or an event loop is
 * wedged. The real one logs one FATAL line, flushes the logs and halts with code 70 — no drain; tests
 * inject one that records the call.
 */
@FunctionalInterface
public interface CrashExit {

  /** Exit code of a crash-fast exit. */
  int CODE = 70;

  void exit(int code, String reasonChain);
}
