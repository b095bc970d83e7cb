package dev.satellite.node;

import dev.satellite.chaos.ChaosMonkey;
import dev.satellite.chaos.Fault;
import dev.satellite.chaos.FaultListener;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every chaos event visible three ways: a log line on {@code satellite.chaos} (with the fault's id and seed),
 * a count ({@code satellite_chaos_faults_total{type}}, {@code satellite_chaos_faults_reverted_total{type,reason}},
 * {@code satellite_chaos_monkey_crashes_total{actor}}), and a JSON message published on {@link #ADDRESS}, so a
 * console or an experiment can follow faults on every node.
 *
 * <p>Thread-safe.
 */
final class ChaosEvents implements FaultListener {

  /** Where chaos events are published: {@code {"event":"injected"|"reverted"|"monkey","node":…, …}}. */
  static final String ADDRESS = FaultRegistry.EVENTS_ADDRESS;

  private static final Logger LOG = LoggerFactory.getLogger("satellite.chaos");

  private final FaultRegistry faults;
  private final MeterRegistry registry;
  private final EventBus bus;
  private final String nodeId;

  ChaosEvents(FaultRegistry faults, MeterRegistry registry, EventBus bus, String nodeId) {
    this.faults = faults;
    this.registry = registry;
    this.bus = bus;
    this.nodeId = nodeId;
    Gauge.builder(MetricNames.CHAOS_FAULTS_ACTIVE, faults, f -> f.active().size())
        .description("Chaos faults active now").register(registry);
  }

  @Override
  public void injected(Fault fault) {
    LOG.warn("chaos: injected {} {} on {} (seed {}, until {})", fault.id(), fault.type().label(), fault.target().label(),
        fault.seed(), fault.until());
    Counter.builder(MetricNames.CHAOS_FAULTS).description("Chaos faults injected").tag("type", fault.type().label())
        .register(registry).increment();
    publish("injected", fault.toJson(faults.clock().instant()));
  }

  @Override
  public void reverted(Fault fault, Reverted why) {
    LOG.warn("chaos: reverted {} {} on {} ({})", fault.id(), fault.type().label(), fault.target().label(), why.label());
    Counter.builder(MetricNames.CHAOS_FAULTS_REVERTED).description("Chaos faults that ended")
        .tag("type", fault.type().label()).tag("reason", why.label()).register(registry).increment();
    publish("reverted", fault.toJson(faults.clock().instant()).put("reason", why.label()));
  }

  void struck(ChaosMonkey.Strike strike) {
    LOG.warn("chaos: the monkey crashed {}#{} (next in {} ms)", strike.actor(), strike.instance(), strike.nextDelayMs());
    Counter.builder(MetricNames.CHAOS_MONKEY_CRASHES).description("Actor instances the chaos monkey crashed")
        .tag("actor", strike.actor()).register(registry).increment();
    publish("monkey", new JsonObject().put("actor", strike.actor()).put("instance", strike.instance()));
  }

  private void publish(String event, JsonObject body) {
    bus.publish(ADDRESS, body.put("event", event).put("node", nodeId).put("at", faults.clock().instant().toString()));
  }
}
