package dev.satellite.supervision;

import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where supervision events go: the log, the metrics, and the node-local event-bus address
 * {@value #ADDRESS} (published, so any number of observers may listen).
 *
 * <p>Thread-safe.
 */
public final class SupervisionEvents {

  /** Event-bus address supervision events are published on (node-local), as JSON. */
  public static final String ADDRESS = "satellite.supervision";

  private static final Logger LOG = LoggerFactory.getLogger("satellite.supervision");
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final MeterRegistry registry;

  public SupervisionEvents(Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  public void publish(SupervisionEvent event) {
    if (event instanceof SupervisionEvent.ActorCrashed c) {
      LOG.warn("{}", event);
      Counter.builder(MetricNames.SUPERVISOR_CRASHES).description("Actor instance crashes")
          .tags("supervisor", c.supervisor(), "child", c.child(), "reason", c.kind()).register(registry).increment();
    } else if (event instanceof SupervisionEvent.ActorRestarted r) {
      LOG.info("{}", event);
      Counter.builder(MetricNames.SUPERVISOR_RESTARTS).description("Actor instances restarted by a supervisor")
          .tags("supervisor", r.supervisor(), "child", r.child(), "reason", r.reason()).register(registry).increment();
    } else if (event instanceof SupervisionEvent.SupervisorGaveUp g) {
      LOG.error("{}", event);
      Counter.builder(MetricNames.SUPERVISOR_GAVE_UP).description("Supervisors that gave up after too many crashes")
          .tags("supervisor", g.supervisor()).register(registry).increment();
    }
    vertx.eventBus().publish(ADDRESS, event.toJson(), LOCAL);
  }
}
