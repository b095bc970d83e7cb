package dev.satellite.supervision;

import dev.satellite.config.SupervisorSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * The delay before restarting a child that crashed: the first restart is immediate (crash fast, come back
 * fast); the n-th consecutive one waits {@code min(max, min·2^(n-2))}, shortened at random by up to
 * {@code jitter} so replicas do not restart in lockstep. The count starts over when the crashed instance
 * had run {@code resetAfter} without crashing.
 *
 * <p>Event-loop confined (one per child of one supervisor); time and randomness come from outside.
 */
final class RestartBackoff {

  private final SupervisorSpec.Backoff spec;
  private final DoubleSupplier random;
  private int consecutive;
  private Duration last = Duration.ZERO;

  RestartBackoff(SupervisorSpec.Backoff spec, DoubleSupplier random) {
    this.spec = spec;
    this.random = random;
  }

  /**
   * The delay before the restart that follows a crash at {@code crashAt} of an instance started at
   * {@code startedAt} (null if it never got to run).
   */
  Duration onCrash(Instant crashAt, Instant startedAt) {
    if (startedAt != null && Duration.between(startedAt, crashAt).compareTo(spec.resetAfter()) >= 0) {
      consecutive = 0;
    }
    consecutive++;
    last = delayFor(consecutive);
    return last;
  }

  private Duration delayFor(int n) {
    if (n <= 1) {
      return Duration.ZERO;
    }
    long minMs = spec.min().toMillis();
    long maxMs = spec.max().toMillis();
    int shift = Math.min(n - 2, 30);
    long base = minMs > (maxMs >> shift) ? maxMs : Math.min(maxMs, minMs << shift);
    long jittered = Math.round(base * (1.0 - spec.jitter() * random.getAsDouble()));
    return Duration.ofMillis(Math.max(0, jittered));
  }

  /** The delay chosen for the latest crash (shown as {@code backoffMs}). */
  Duration last() {
    return last;
  }
}
