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
  /** Gauge, seconds: from the JVM's start to the node's first ready; set once ready. */
  public static final String START_TO_READY = "satellite_start_to_ready";

  /** Counter {@code {supervisor,child,reason}}: instances restarted by a supervisor. */
  public static final String SUPERVISOR_RESTARTS = "satellite_supervisor_restarts";
  /** Counter {@code {supervisor,child,reason}}: instance crashes seen by a supervisor. */
  public static final String SUPERVISOR_CRASHES = "satellite_supervisor_crashes";
  /** Counter {@code {supervisor}}: supervisors that gave up. */
  public static final String SUPERVISOR_GAVE_UP = "satellite_supervisor_gave_up";
  /** Counter {@code {actor,reason}}: messages refused unworked (mailbox_full, deadline, bad_message). */
  public static final String ACTOR_REFUSED = "satellite_actor_refused";
  /** Counter {@code {actor}}: replies not sent by the message's deadline (the caller was told, the slot freed). */
  public static final String ACTOR_EXPIRED = "satellite_actor_expired_replies";
  /** Gauge {@code {supervisor,child}}: live instances of a child. */
  public static final String SUPERVISOR_ALIVE = "satellite_supervisor_children_alive";

  /** Gauge: members of the cluster as this node sees it. */
  public static final String CLUSTER_SIZE = "satellite_cluster_members";
  /** Counter {@code {change}}: membership changes (joined, left). */
  public static final String CLUSTER_MEMBERSHIP_CHANGES = "satellite_cluster_membership_changes";
  /** Gauge: nodes this node currently sends no traffic to (lost or timed out, and not answered a probe since). */
  public static final String CLUSTER_EJECTED = "satellite_cluster_ejected_nodes";
  /** Counter {@code {reason}}: nodes ejected from this node's routing (unreachable, silent, timeout, left). */
  public static final String CLUSTER_EJECTIONS = "satellite_cluster_ejections";
  /** Counter: requests in flight to a node that was lost, failed at once (and retried elsewhere when idempotent). */
  public static final String CLUSTER_LOST_REQUESTS = "satellite_cluster_lost_requests";
  /** Counter {@code {reason}}: failed event-bus requests (timeout, no_handlers, mailbox_full, recipient_crashed, deadline, client_error …). */
  public static final String BUS_REQUEST_FAILURES = "satellite_bus_request_failures";

  /** Counter {@code {kind}}: requests and connections refused as the client's mistake (malformed, slow head …). */
  public static final String HTTP_CLIENT_ERRORS = "satellite_http_client_errors";
  /** Gauge: open connections of the public listener. */
  public static final String HTTP_CONNECTIONS = "satellite_http_connections";
  /** Counter: connections the public listener refused at once because it had {@code edge.maxConnections} open. */
  public static final String HTTP_CONNECTIONS_REFUSED = "satellite_http_connections_refused";

  /** Counter {@code {route,outcome}}: requests on a route by how they ended (ok, rate_limited, shed, …). */
  public static final String EDGE_REQUESTS = "satellite_edge_requests";
  /** Counter {@code {file,result}}: re-reads of an {@code auth.tokenFile} that changed the tokens or failed. */
  public static final String EDGE_AUTH_TOKEN_FILE_RELOADS = "satellite_edge_auth_token_file_reloads";
  /** Re-reads of a listener's TLS certificate and key that changed them ({@code result}: changed, failed). */
  public static final String TLS_RELOADS = "satellite_tls_reloads";
  /** Timer {@code {route}}: time to answer requests on a route. */
  public static final String EDGE_DURATION = "satellite_edge_request_duration";
  /** Gauge {@code {route}}: breaker state, 0 closed, 1 half-open, 2 open. */
  public static final String BREAKER_STATE = "satellite_breaker_state";
  /** Counter {@code {route,state}}: breaker state changes. */
  public static final String BREAKER_TRANSITIONS = "satellite_breaker_transitions";
  /** Counter {@code type}: chaos faults injected into the node. */
  public static final String CHAOS_FAULTS = "satellite_chaos_faults";
  /** Counter {@code type, reason}: chaos faults that ended (deleted, expired, spent). */
  public static final String CHAOS_FAULTS_REVERTED = "satellite_chaos_faults_reverted";
  /** Gauge: chaos faults active now. */
  public static final String CHAOS_FAULTS_ACTIVE = "satellite_chaos_faults_active";
  /** Counter {@code actor}: actor instances the chaos monkey crashed. */
  public static final String CHAOS_MONKEY_CRASHES = "satellite_chaos_monkey_crashes";
  /** Counter {@code {route}}: retries made. */
  public static final String EDGE_RETRIES = "satellite_edge_retries";

  /** Counter {@code {result}}: events of acknowledged requests, {@code applied} now or {@code replayed} (a retry's). */
  public static final String ANALYTICS_EVENTS = "satellite_analytics_events";
  /** Counter: {@code POST /events} requests refused as invalid (400), nothing of them applied. */
  public static final String ANALYTICS_REJECTED = "satellite_analytics_rejected_requests";
  /** Counter: requests answered 503 as the store failed (part of the batch may be applied; a retry completes it). */
  public static final String ANALYTICS_STORE_FAILURES = "satellite_analytics_store_failures";
  /** Gauge: push subscribers (SSE and WebSocket streams) open on this node. */
  public static final String PUSH_SUBSCRIBERS = "satellite_push_subscribers";
  /** Counter: messages published through this node (appended to a topic's history). */
  public static final String PUSH_PUBLISHED = "satellite_push_published";
  /** Counter: messages written to this node's subscribers (live and replayed). */
  public static final String PUSH_DELIVERED = "satellite_push_delivered";
  /** Counter: messages written to this node's subscribers from history, on resume. */
  public static final String PUSH_REPLAYED = "satellite_push_replayed";
  /** Counter {@code {reason}}: reset events sent (history-exceeded, epoch-changed, unknown-id). */
  public static final String PUSH_RESETS = "satellite_push_resets";
  /** Counter {@code {reason}}: subscribers this node closed (slow-consumer, shutdown). */
  public static final String PUSH_DISCONNECTS = "satellite_push_disconnects";
}
