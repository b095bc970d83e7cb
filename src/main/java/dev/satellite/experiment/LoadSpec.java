package dev.satellite.experiment;

import java.time.Duration;
import java.util.List;

/**
 * Satellite's top-level {@code load} key: an open-model arrival rate (requests per second) for {@code duration},
 * spread round-robin over {@code routes} (paths on every local node, or absolute URLs) with {@code connections}
 * connections and a per-request {@code timeout}. With {@code warmup}, the same load runs that long first and is
 * not counted: the nodes' JIT compilers and connections are warm when the hypothesis is first checked.
 *
 * <p>Thread-safe: immutable.
 */
public record LoadSpec(double rate, Duration duration, List<String> routes, int connections, Duration timeout,
    Duration warmup) {

  public static final int DEFAULT_CONNECTIONS = 8;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
}
