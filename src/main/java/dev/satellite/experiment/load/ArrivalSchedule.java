package dev.satellite.experiment.load;

/**
 * The fixed-rate arrival schedule of an open-model load: request {@code i} is due at
 * {@code start + i / rate}, whenever the previous ones were answered.
 *
 * <p>Event-loop confined (keeps the count of arrivals taken).
 */
final class ArrivalSchedule {

  private final long startNanos;
  private final double nanosPerArrival;
  private final long total;
  private long taken;

  /**
   * @param startNanos    the time of arrival 0, on the ticker the caller uses
   * @param ratePerSecond arrivals per second
   * @param durationNanos arrivals due strictly before {@code start + duration} are part of the schedule
   */
  ArrivalSchedule(long startNanos, double ratePerSecond, long durationNanos) {
    this.startNanos = startNanos;
    this.nanosPerArrival = 1e9 / ratePerSecond;
    this.total = (long) Math.ceil(durationNanos / nanosPerArrival);
  }

  /** How many arrivals are due by {@code nowNanos} and not yet taken (0 before the start). */
  int due(long nowNanos) {
    long elapsed = nowNanos - startNanos;
    if (elapsed < 0) {
      return 0;
    }
    long dueByNow = Math.min(total, (long) Math.floor(elapsed / nanosPerArrival) + 1);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, dueByNow - taken));
  }

  /** Takes the next arrival and returns its intended time. */
  long take() {
    if (taken >= total) {
      throw new IllegalStateException("the schedule is exhausted");
    }
    return intendedNanos(taken++);
  }

  /** The intended time of arrival {@code index}. */
  long intendedNanos(long index) {
    return startNanos + Math.round(index * nanosPerArrival);
  }

  /** Arrivals taken so far. */
  long taken() {
    return taken;
  }

  /** Arrivals in the whole schedule. */
  long total() {
    return total;
  }

  /** True when every arrival has been taken. */
  boolean exhausted() {
    return taken >= total;
  }
}
