package dev.satellite.node;

import dev.satellite.config.Version;
import dev.satellite.health.NodeStatus;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds the node-level gauges (build info, readiness, liveness) to a registry, and keeps the JVM meters that
 * vertx-micrometer-metrics binds within Prometheus' naming conventions ({@code promtool check metrics} finds
 * nothing to lint): base units, no {@code _count} suffix on a gauge. Thread-safe.
 */
final class NodeMetrics {

  private NodeMetrics() {
  }

  /**
   * Filters to configure before any meter is registered: the JVM's compilation time (milliseconds) and the
   * process's CPU time (nanoseconds) are counted in seconds instead ({@code jvm_compilation_seconds_total},
   * {@code process_cpu_seconds_total}), and {@code system.cpu.count}, a gauge, is {@code system_cpus}.
   */
  static void conventions(MeterRegistry registry) {
    registry.config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("jvm.compilation.time")
            || id.getName().equals("process.cpu.time")))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
          }
        });
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder("jvm.compilation", compilation, c -> c.getTotalCompilationTime() / 1000.0)
          .baseUnit("seconds").description("Time the JIT compiler spent compiling")
          .register(registry);
    }
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
          .baseUnit("seconds").description("CPU time used by the process")
          .register(registry);
    }
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
