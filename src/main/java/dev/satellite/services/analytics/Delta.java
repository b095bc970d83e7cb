package dev.satellite.services.analytics;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * What one request adds to one name: how many events, the sum of their values, and how many fell in each minute
 * (minutes since the epoch). Travels to the partition that owns the name inside an {@link AddEvents}.
 *
 * <p>Immutable once built; thread-safe.
 */
public final class Delta implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  private final long count;
  private final double sum;
  private final long[] minutes;
  private final long[] counts;

  private Delta(long count, double sum, long[] minutes, long[] counts) {
    this.count = count;
    this.sum = sum;
    this.minutes = minutes;
    this.counts = counts;
  }

  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  int buckets() {
    return minutes.length;
  }

  long minute(int i) {
    return minutes[i];
  }

  long countAt(int i) {
    return counts[i];
  }

  /** Collects the events of one name. Event-loop confined (one request's). */
  public static final class Builder {
    private long count;
    private double sum;
    private long[] minutes = new long[2];
    private long[] counts = new long[2];
    private int size;

    public Builder add(double value, long tsMillis) {
      count++;
      sum += value;
      long minute = Math.floorDiv(tsMillis, EventCounter.MINUTE_MS);
      for (int i = 0; i < size; i++) {
        if (minutes[i] == minute) {
          counts[i]++;
          return this;
        }
      }
      if (size == minutes.length) {
        minutes = Arrays.copyOf(minutes, size * 2);
        counts = Arrays.copyOf(counts, size * 2);
      }
      minutes[size] = minute;
      counts[size++] = 1;
      return this;
    }

    public Delta build() {
      return new Delta(count, sum, Arrays.copyOf(minutes, size), Arrays.copyOf(counts, size));
    }
  }
}
