package dev.satellite.experiment.load;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to send: an open-model fixed arrival rate, spread round-robin over targets.
 *
 * <p>Requests are issued at their scheduled times whatever the answers do (open model); at most
 * {@code connections} HTTP/1.1 connections are pooled, every request ends within {@code requestTimeout},
 * and at most {@link #maxInFlight()} requests are outstanding at once. An immutable value: thread-safe.
 *
 * @param ratePerSecond  arrivals per second, greater than 0
 * @param duration       how long to send, greater than 0
 * @param targets        absolute {@code http://} URIs, at least one
 * @param connections    pooled connections, at least 1
 * @param requestTimeout bound on each request, from its intended send time, greater than 0
 */
public record LoadPlan(double ratePerSecond, Duration duration, List<URI> targets, int connections,
                       Duration requestTimeout) {

  /** The most requests that may be outstanding, whatever the rate: beyond it arrivals are counted as "overflow". */
  public static final int MAX_IN_FLIGHT_LIMIT = 10_000;

  public LoadPlan {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("ratePerSecond must be a positive number, got " + ratePerSecond);
    }
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got " + duration);
    }
    Objects.requireNonNull(targets, "targets");
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("targets must not be empty");
    }
    for (URI target : targets) {
      Objects.requireNonNull(target, "target");
      if (!"http".equalsIgnoreCase(target.getScheme()) || target.getHost() == null) {
        throw new IllegalArgumentException("target must be an absolute http:// URI, got " + target);
      }
    }
    targets = List.copyOf(targets);
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be at least 1, got " + connections);
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
  }

  /**
   * The cap on outstanding requests: what the rate can keep outstanding for a whole timeout (every request
   * ends by then), twice over for bursts, at least the connection count, at most {@link #MAX_IN_FLIGHT_LIMIT}.
   */
  public int maxInFlight() {
    double perTimeout = ratePerSecond * requestTimeout.toNanos() / 1e9;
    long cap = (long) Math.ceil(2 * perTimeout);
    return (int) Math.min(MAX_IN_FLIGHT_LIMIT, Math.max(connections, cap));
  }
}
