package dev.satellite.actor;

import dev.satellite.cluster.BusRouter;
import dev.satellite.cluster.LocalInstances;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed event-bus requests by reason ({@code timeout}, {@code no_handlers}, {@code mailbox_full},
 * {@code recipient_crashed}, {@code deadline}, {@code unresponsive}, {@code application} …) around any
 * {@link BusRouter}: the gateway and the actors send through it, so every request is counted once.
 *
 * <p>Thread-safe.
 */
public final class BusMeter implements BusRouter {

  private final BusRouter inner;
  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public BusMeter(BusRouter inner, MeterRegistry registry) {
    this.inner = inner;
    this.registry = registry;
  }

  @Override
  public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
    Future<Message<T>> f = inner.request(address, body, options);
    return f.onFailure(this::count);
  }

  @Override
  public <T> Future<Message<T>> requestAnyInstance(String address, Object body, DeliveryOptions options) {
    Future<Message<T>> f = inner.requestAnyInstance(address, body, options);
    return f.onFailure(this::count);
  }

  @Override
  public void send(String address, Object body, DeliveryOptions options) {
    inner.send(address, body, options);
  }

  @Override
  public boolean routesByNode() {
    return inner.routesByNode();
  }

  @Override
  public LocalInstances instances() {
    return inner.instances();
  }

  private void count(Throwable t) {
    counters.computeIfAbsent(reason(t), r -> Counter.builder(MetricNames.BUS_REQUEST_FAILURES)
        .description("Failed event-bus requests by reason").tag("reason", r).register(registry)).increment();
  }

  /** A short reason label for a failed request. */
  public static String reason(Throwable t) {
    if (!(t instanceof ReplyException re)) {
      return "error";
    }
    return switch (re.failureType()) {
      case TIMEOUT -> "timeout";
      case NO_HANDLERS -> "no_handlers";
      case RECIPIENT_FAILURE -> ActorFailures.label(re.failureCode());
      default -> "error";
    };
  }
}
