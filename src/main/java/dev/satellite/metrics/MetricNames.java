package dev.satellite.metrics;

/**
 * Every metric name Satellite defines, in one place, Prometheus style. (The Vert.x, JVM and process
 * metrics come from vertx-micrometer-metrics under their own names.)
 */
public final class MetricNames {

  private MetricNames() {
  }

  /** Gauge, 1 with labels {@code version} and {@code node}. */
  public static final String BUILD_INFO = "satellite_build_info";
  /** Gauge: 1 while the node answers ready, else 0. */
  public static final String NODE_READY = "satellite_node_ready";
  /** Gauge: 1 while the node is live (no wedged event loop), else 0. */
  public static final String NODE_LIVE = "satellite_node_live";
}
