package dev.satellite.supervision;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that starts at the wall-clock time and then moves with {@link System#nanoTime()}: it never steps
 * backwards or jumps when NTP or a VM resume adjusts the system clock, so restart intensity and backoff
 * windows measured with it stay honest. Its instants drift from wall time only by the system clock's own
 * corrections since start.
 *
 * <p>Thread-safe: immutable.
 */
public final class MonotonicClock extends Clock {

  private final Instant origin;
  private final long originNanos;

  public MonotonicClock() {
    this.origin = Instant.now();
    this.originNanos = System.nanoTime();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(System.nanoTime() - originNanos);
  }

  @Override
  public long millis() {
    return origin.toEpochMilli() + (System.nanoTime() - originNanos) / 1_000_000;
  }
}
