package dev.satellite.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A clock tests move by hand: a {@link Clock} (milliseconds, instants) and a nanosecond {@link LongSupplier} over
 * the same time, so code that takes either reads the same now. Thread-safe.
 */
public final class FakeClock extends Clock implements LongSupplier {

  private final Instant origin;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  public FakeClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A clock whose wall time starts near {@code wallTime} (a node whose clock is off, say). */
  public FakeClock(Instant wallTime) {
    this.origin = wallTime.minusNanos(1_000_000_000_000L);
  }

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  public void advanceMillis(long ms) {
    advance(Duration.ofMillis(ms));
  }

  @Override
  public long getAsLong() {
    return nanos.get();
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
    return origin.plusNanos(nanos.get());
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }
}
