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
  /** Counter {@code {actor,reason}}: messages refused unworked (mailbox_full, deadline, bad_message). */
  public static final String ACTOR_REFUSED = "satellite_actor_refused";
  /** Gauge {@code {supervisor,child}}: live instances of a child. */
  public static final String SUPERVISOR_ALIVE = "satellite_supervisor_children_alive";

  /** Gauge: members of the cluster as this node sees it. */
  public static final String CLUSTER_SIZE = "satellite_cluster_members";
  /** Counter {@code {change}}: membership changes (joined, left). */
  public static final String CLUSTER_MEMBERSHIP_CHANGES = "satellite_cluster_membership_changes";
  /** Gauge: nodes this node currently sends no traffic to (they timed out and have not answered a probe). */
  public static final String CLUSTER_EJECTED = "satellite_cluster_ejected_nodes";
  /** Counter {@code {reason}}: failed event-bus requests (timeout, no_handlers, mailbox_full, recipient_failure, deadline …). */
  public static final String BUS_REQUEST_FAILURES = "satellite_bus_request_failures";
}
