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

  /** Counter {@code {supervisor,child,reason}}: instances restarted by a supervisor. */
  public static final String SUPERVISOR_RESTARTS = "satellite_supervisor_restarts";
  /** Counter {@code {supervisor,child,reason}}: instance crashes seen by a supervisor. */
  public static final String SUPERVISOR_CRASHES = "satellite_supervisor_crashes";
  /** Counter {@code {supervisor}}: supervisors that gave up. */
  public static final String SUPERVISOR_GAVE_UP = "satellite_supervisor_gave_up";
  /** Gauge {@code {supervisor,child}}: live instances of a child. */
  public static final String SUPERVISOR_ALIVE = "satellite_supervisor_children_alive";
}
