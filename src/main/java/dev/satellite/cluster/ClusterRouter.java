package dev.satellite.cluster;

import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests across the cluster with public API only, and goes further than the bus does by itself:
 * every actor also listens on {@code <address>@<node>}, and the router picks the node — round-robin over
 * the nodes that serve the address — skipping <em>ejected</em> nodes. A node is ejected the moment a
 * request to it times out, long before the membership layer notices a frozen member, and gets traffic
 * again only after it answers a probe. A node that has lost the actor (no handlers on its node address)
 * is skipped for the next one within the same request.
 *
 * <p>Thread-safe.
 */
public final class ClusterRouter implements BusRouter {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterRouter.class);
  /** A timeout shorter than this says little about the node (a caller may ask for tiny deadlines): no ejection. */
  static final long MIN_EJECT_TIMEOUT_MS = 100;

  private final Vertx vertx;
  private final String localNode;
  private final NodeDirectory membership;
  private final Duration probeInterval;
  private final Clock clock;
  private final LocalInstances instances;
  private final Map<String, Instant> ejected = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private MessageConsumer<Object> probes;
  private long probeTimer = -1;

  public ClusterRouter(Vertx vertx, String localNode, NodeDirectory membership, Duration probeInterval, Clock clock,
      MeterRegistry registry, LocalInstances instances) {
    this.vertx = vertx;
    this.instances = instances;
    this.localNode = localNode;
    this.membership = membership;
    this.probeInterval = probeInterval;
    this.clock = clock;
    Gauge.builder(MetricNames.CLUSTER_EJECTED, ejected, Map::size)
        .description("Nodes that get no traffic until they answer a probe").register(registry);
  }

  /** Answers probes from other nodes and starts probing ejected ones. */
  public Future<Void> start() {
    probes = vertx.eventBus().consumer(NodeAddresses.probe(localNode), m -> m.reply(localNode));
    probeTimer = vertx.setPeriodic(probeInterval.toMillis(), t -> probeEjected());
    return probes.completion();
  }

  public Future<Void> stop() {
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
    }
    return probes == null ? Future.succeededFuture() : probes.unregister();
  }

  @Override
  public boolean routesByNode() {
    return true;
  }

  @Override
  public LocalInstances instances() {
    return instances;
  }

  @Override
  public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
    return route(address, body, options, true);
  }

  @Override
  public <T> Future<Message<T>> requestAnyInstance(String address, Object body, DeliveryOptions options) {
    return route(address, body, options, false);
  }

  private <T> Future<Message<T>> route(String address, Object body, DeliveryOptions options, boolean thisLoop) {
    List<String> serving = membership.nodesServing(address);
    if (serving.isEmpty()) {
      return vertx.eventBus().request(address, body, options);
    }
    List<String> candidates = new ArrayList<>(serving.size());
    for (String node : serving) {
      if (!ejected.containsKey(node)) {
        candidates.add(node);
      }
    }
    if (candidates.isEmpty()) {
      candidates = serving; // every node is ejected: ejection is a hint, not a reason to answer nothing
    }
    return attempt(address, body, options, candidates, Math.floorMod(next.getAndIncrement(), candidates.size()), 0,
        thisLoop);
  }

  private <T> Future<Message<T>> attempt(String address, Object body, DeliveryOptions options, List<String> candidates,
      int start, int tried, boolean thisLoop) {
    String node = candidates.get((start + tried) % candidates.size());
    Future<Message<T>> sent = vertx.eventBus().request(target(address, node, thisLoop), body, options);
    return sent.recover(t -> {
      if (t instanceof ReplyException re) {
        if (re.failureType() == ReplyFailure.TIMEOUT && !node.equals(localNode)
            && options.getSendTimeout() >= MIN_EJECT_TIMEOUT_MS) {
          eject(node, address);
        } else if (re.failureType() == ReplyFailure.NO_HANDLERS && tried + 1 < candidates.size()) {
          return attempt(address, body, options, candidates, start, tried + 1, thisLoop);
        }
      }
      return Future.failedFuture(t);
    });
  }

  @Override
  public void send(String address, Object body, DeliveryOptions options) {
    List<String> serving = membership.nodesServing(address);
    if (serving.isEmpty()) {
      vertx.eventBus().send(address, body, options);
      return;
    }
    List<String> candidates = serving.stream().filter(n -> !ejected.containsKey(n)).toList();
    List<String> from = candidates.isEmpty() ? serving : candidates;
    vertx.eventBus().send(target(address, from.get(Math.floorMod(next.getAndIncrement(), from.size())), true), body,
        options);
  }

  /**
   * The address that reaches {@code address} on {@code node}: on this node, with {@code thisLoop}, an instance
   * on the caller's loop if there is one.
   */
  private String target(String address, String node, boolean thisLoop) {
    if (thisLoop && node.equals(localNode)) {
      String mine = instances.onThisThread(address);
      if (mine != null) {
        return mine;
      }
    }
    return NodeAddresses.onNode(address, node);
  }

  /** The nodes that get no traffic now, with when they were ejected. */
  public Map<String, Instant> ejected() {
    return Map.copyOf(ejected);
  }

  void eject(String node, String address) {
    if (ejected.putIfAbsent(node, clock.instant()) == null) {
      LOG.warn("node {} did not answer a request to {} in time: no traffic to it until it answers a probe", node, address);
    }
  }

  private void probeEjected() {
    for (String node : ejected.keySet()) {
      if (!membership.knows(node)) {
        ejected.remove(node); // it left the cluster: nothing to probe
        continue;
      }
      vertx.eventBus().request(NodeAddresses.probe(node), null, new DeliveryOptions().setSendTimeout(probeInterval.toMillis()))
          .onSuccess(reply -> {
            if (ejected.remove(node) != null) {
              LOG.info("node {} answers probes again: back in rotation", node);
            }
          });
    }
  }
}
