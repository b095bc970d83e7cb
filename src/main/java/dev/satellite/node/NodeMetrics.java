package dev.satellite.node;

import dev.satellite.config.Version;
import dev.satellite.health.NodeStatus;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Binds the node-level gauges (build info, readiness, liveness) to a registry. Thread-safe. */
final class NodeMetrics {

  private NodeMetrics() {
  }

  static void bind(MeterRegistry registry, NodeStatus status) {
    Gauge.builder(MetricNames.BUILD_INFO, () -> 1)
        .description("Satellite build information")
        .tag("version", Version.get())
        .tag("node", status.nodeId())
        .register(registry);
    Gauge.builder(MetricNames.NODE_READY, status, s -> s.ready() ? 1 : 0)
        .description("1 while the node answers ready on /health/ready")
        .register(registry);
    Gauge.builder(MetricNames.NODE_LIVE, status, s -> s.live() ? 1 : 0)
        .description("1 while no event loop is wedged")
        .register(registry);
  }
}
