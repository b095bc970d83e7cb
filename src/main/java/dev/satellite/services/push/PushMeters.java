package dev.satellite.services.push;

import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The push service's meters on one node: subscribers open, messages published, delivered and replayed, resets, and
 * subscribers closed by the node (by reason).
 *
 * <p>Thread-safe.
 */
final class PushMeters {

  final Counter published;
  final Counter delivered;
  final Counter replayed;
  private final MeterRegistry registry;

  PushMeters(MeterRegistry registry, AtomicInteger subscribers) {
    this.registry = registry;
    Gauge.builder(MetricNames.PUSH_SUBSCRIBERS, subscribers, AtomicInteger::get)
        .description("Push subscribers open on this node").register(registry);
    published = Counter.builder(MetricNames.PUSH_PUBLISHED).description("Messages published through this node")
        .register(registry);
    delivered = Counter.builder(MetricNames.PUSH_DELIVERED).description("Messages written to subscribers")
        .register(registry);
    replayed = Counter.builder(MetricNames.PUSH_REPLAYED).description("Messages written to subscribers from history")
        .register(registry);
  }

  void reset(String reason) {
    Counter.builder(MetricNames.PUSH_RESETS).description("Reset events sent to subscribers").tag("reason", reason)
        .register(registry).increment();
  }

  void disconnect(String reason) {
    Counter.builder(MetricNames.PUSH_DISCONNECTS).description("Subscribers closed by the node").tag("reason", reason)
        .register(registry).increment();
  }
}
