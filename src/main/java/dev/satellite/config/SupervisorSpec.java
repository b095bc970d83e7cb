package dev.satellite.config;

import java.time.Duration;
import java.util.List;

/**
 * How a supervisor runs its children: the restart strategy, the restart intensity it tolerates before it
 * gives up, the backoff between repeated restarts of one child, the liveness pings it sends, and the
 * children themselves, in start order. Immutable.
 *
 * @param id          supervisor id, unique among its siblings
 * @param strategy    what to restart when a child crashes
 * @param maxRestarts more crashes than this within {@code period} and the supervisor gives up
 * @param period      the window of the restart intensity
 * @param backoff     delays between repeated restarts of the same child
 * @param liveness    pings that detect hung actor instances
 * @param children    the child specs, in start order
 */
public record SupervisorSpec(
    String id,
    Strategy strategy,
    int maxRestarts,
    Duration period,
    Backoff backoff,
    Liveness liveness,
    List<ChildSpec> children) {

  public static final String DEFAULT_STRATEGY = "one_for_one";
  public static final int DEFAULT_MAX_RESTARTS = 5;
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);

  public SupervisorSpec {
    children = List.copyOf(children);
  }

  /** What a supervisor restarts when one child instance crashes. */
  public enum Strategy {
    /** Replace only the crashed instance. */
    ONE_FOR_ONE,
    /** Replace every child. */
    ONE_FOR_ALL,
    /** Replace the crashed child and the children started after it. */
    REST_FOR_ONE;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The first restart of a child is immediate; the n-th consecutive one waits
   * {@code min(max, min·2^(n-2))}, shortened by up to {@code jitter} (a fraction) at random. The count resets
   * once the child ran {@code resetAfter} without crashing.
   */
  public record Backoff(Duration min, Duration max, Duration resetAfter, double jitter) {
  }

  /**
   * The supervisor pings each actor instance every {@code interval}; {@code misses} pings in a row without an
   * answer within {@code timeout} are a crash ({@code unresponsive}). More than one miss keeps a burst of load
   * that delays one ping from being taken for a hang.
   */
  public record Liveness(boolean enabled, Duration interval, Duration timeout, int misses) {
  }
}
