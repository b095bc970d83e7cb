package dev.satellite.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * OTP's restart intensity: more than {@code maxRestarts} crashes within a sliding {@code period} and the
 * supervisor must give up. It counts crashes when they happen, not restarts when they complete, so a
 * backoff cannot hide a crash loop.
 *
 * <p>Event-loop confined (owned by one supervisor); time comes from the caller.
 */
final class RestartIntensity {

  private final int maxRestarts;
  private final Duration period;
  private final ArrayDeque<Instant> crashes = new ArrayDeque<>();

  RestartIntensity(int maxRestarts, Duration period) {
    this.maxRestarts = maxRestarts;
    this.period = period;
  }

  /** Records a crash at {@code at}; true when the limit is now exceeded. */
  boolean exceededAfterCrash(Instant at) {
    crashes.addLast(at);
    forgetBefore(at.minus(period));
    return crashes.size() > maxRestarts;
  }

  /** Crashes within the period ending at {@code now}. */
  int recent(Instant now) {
    forgetBefore(now.minus(period));
    return crashes.size();
  }

  private void forgetBefore(Instant horizon) {
    while (!crashes.isEmpty() && !crashes.peekFirst().isAfter(horizon)) {
      crashes.removeFirst();
    }
  }
}
