package dev.satellite.cluster;

import dev.satellite.actor.ActorFailures;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests across the cluster with public API only, and goes further than the bus does by itself:
 * every actor also listens on {@code <address>@<node>}, and the router picks the node — round-robin over
 * the nodes that serve the address — skipping nodes not heard from yet (no tick since they began to serve: still
 * starting, or unable to reach this node) and <em>ejected</em> nodes, long before the membership layer removes a
 * member. A node is ejected
 * <ul>
 *   <li>when it is <em>lost</em>: its process is gone (a tick to it cannot be written), it stopped ticking
 *       ({@link NodeTicks}), or it left the cluster. The requests waiting on it are failed at once with
 *       {@link ActorFailures#NODE_LOST} — a 503 at the gateway, or a retry on another node when the request is
 *       idempotent — instead of being left to their timeout;</li>
 *   <li>when a request to it times out: it stops getting new requests (the others it has are its to answer: its ticks
 *       say it is alive).</li>
 * </ul>
 * Ejection covers every path to the node: one table for every event loop and every caller, read on every request.
 * An ejected node gets traffic again once it answers a probe. A node that has lost the actor (no handlers on its
 * node address) is skipped for the next one within the same request.
 *
 * <p>Thread-safe.
 */
public final class ClusterRouter implements BusRouter {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterRouter.class);
  /** A timeout shorter than this says little about the node (a caller may ask for tiny deadlines): no ejection. */
  static final long MIN_EJECT_TIMEOUT_MS = 100;

  /**
   * @param probe      how often an ejected node is asked whether it is back
   * @param tick       how often nodes tick each other
   * @param ejectAfter a node not heard from for this long is lost
   */
  public record Timing(Duration probe, Duration tick, Duration ejectAfter) {
  }

  /** A node out of rotation: since when, and why. */
  public record Ejected(Instant since, Ejection reason) {
  }

  private final Vertx vertx;
  private final String localNode;
  private final NodeDirectory membership;
  private final Timing timing;
  private final Clock clock;
  private final LocalInstances instances;
  private final Map<String, Ejected> ejected = new ConcurrentHashMap<>();
  /** The caller-side promises of the requests waiting on each remote node. */
  private final Map<String, Set<Promise<?>>> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private final NodeTicks ticks;
  private final MeterRegistry registry;
  private final Counter lostRequests;
  private MessageConsumer<Object> probes;
  private long probeTimer = -1;

  /** @param nanos the clock of tick deadlines */
  public ClusterRouter(Vertx vertx, String localNode, NodeDirectory membership, Timing timing, Clock clock,
      LongSupplier nanos, MeterRegistry registry, LocalInstances instances) {
    this.vertx = vertx;
    this.instances = instances;
    this.localNode = localNode;
    this.membership = membership;
    this.timing = timing;
    this.clock = clock;
    this.registry = registry;
    this.ticks = new NodeTicks(vertx, localNode, membership::servingNodes, this::reachable, timing.tick(),
        timing.ejectAfter(), nanos, this::eject);
    Gauge.builder(MetricNames.CLUSTER_EJECTED, ejected, Map::size)
        .description("Nodes that get no traffic until they answer a probe").register(registry);
    this.lostRequests = Counter.builder(MetricNames.CLUSTER_LOST_REQUESTS)
        .description("Requests in flight to a lost node, failed at once").register(registry);
  }

  /** Answers probes and ticks from other nodes, starts ticking them and probing ejected ones. */
  public Future<Void> start() {
    probes = vertx.eventBus().consumer(NodeAddresses.probe(localNode), m -> m.reply(localNode));
    probeTimer = vertx.setPeriodic(timing.probe().toMillis(), t -> probeEjected());
    return probes.completion().compose(v -> ticks.start());
  }

  public Future<Void> stop() {
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
    }
    Future<Void> unticked = ticks.stop();
    return probes == null ? unticked : unticked.compose(v -> probes.unregister());
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
      if (routable(node)) {
        candidates.add(node);
      }
    }
    if (candidates.isEmpty()) {
      candidates = serving; // every node is ejected or unproven: a hint, not a reason to answer nothing
    }
    return attempt(address, body, options, candidates, Math.floorMod(next.getAndIncrement(), candidates.size()), 0,
        thisLoop);
  }

  private <T> Future<Message<T>> attempt(String address, Object body, DeliveryOptions options, List<String> candidates,
      int start, int tried, boolean thisLoop) {
    String node = candidates.get((start + tried) % candidates.size());
    boolean local = node.equals(localNode);
    long sentAt = clock.millis();
    Future<Message<T>> sent = vertx.eventBus().request(target(address, node, thisLoop), body,
        local ? localOnly(options) : options);
    if (!local) {
      sent = watched(node, sent);
    }
    return sent.recover(t -> {
      if (t instanceof ReplyException re) {
        // a discarded message (queued for an instance that crashed meanwhile) is the node answering at once
        if (re.failureType() == ReplyFailure.TIMEOUT && !node.equals(localNode)
            && options.getSendTimeout() >= MIN_EJECT_TIMEOUT_MS
            && !BusRouter.discarded(re, clock.millis() - sentAt, options.getSendTimeout())) {
          eject(node, Ejection.TIMEOUT, "did not answer a request to " + address + " in time");
        } else if (re.failureType() == ReplyFailure.NO_HANDLERS && tried + 1 < candidates.size()) {
          return attempt(address, body, options, candidates, start, tried + 1, thisLoop);
        }
      }
      return Future.failedFuture(t);
    });
  }

  /**
   * The request's outcome through a promise of the caller's own that {@link #eject} can fail first: the bus would only
   * time it out, even when the node's connection was refused at once.
   */
  private <T> Future<Message<T>> watched(String node, Future<Message<T>> sent) {
    Promise<Message<T>> outcome = ((VertxInternal) vertx).getOrCreateContext().promise();
    Set<Promise<?>> onNode = waiting.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
    onNode.add(outcome);
    sent.onComplete(ar -> {
      onNode.remove(outcome);
      if (ar.succeeded()) {
        outcome.tryComplete(ar.result());
      } else {
        outcome.tryFail(ar.cause());
      }
    });
    return outcome.future();
  }

  @Override
  public void send(String address, Object body, DeliveryOptions options) {
    List<String> serving = membership.nodesServing(address);
    if (serving.isEmpty()) {
      vertx.eventBus().send(address, body, options);
      return;
    }
    List<String> candidates = serving.stream().filter(this::routable).toList();
    List<String> from = candidates.isEmpty() ? serving : candidates;
    String node = from.get(Math.floorMod(next.getAndIncrement(), from.size()));
    vertx.eventBus().send(target(address, node, true), body, node.equals(localNode) ? localOnly(options) : options);
  }

  /**
   * The options of a message to this node's own actors: delivered here without asking the cluster who listens. The
   * clustered bus would otherwise look the address up in Hazelcast the first time it sees it — a lookup that waits for
   * as long as the member owning that key is frozen, with every message to the address queued behind it.
   */
  private static DeliveryOptions localOnly(DeliveryOptions options) {
    return new DeliveryOptions(options).setLocalOnly(true);
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

  /**
   * Whether {@code node} gets requests: this node always; another once a tick from it has arrived since it began to
   * serve (its bus connection works: a node still starting, or one whose certificate this node refuses, gets none)
   * and while it is not ejected.
   */
  boolean routable(String node) {
    return heardFrom(node) && !ejected.containsKey(node); // this node is never ejected (see eject)
  }

  /**
   * Whether a tick of {@code node} has arrived since it began to serve (always true of this node): until then this
   * node sends it no requests. Thread-safe.
   */
  public boolean heardFrom(String node) {
    return node.equals(localNode) || ticks.heardFrom(node);
  }

  /** The nodes that get no traffic now, with when and why they were ejected. */
  public Map<String, Ejected> ejected() {
    return Map.copyOf(ejected);
  }

  private boolean reachable(String node) {
    Ejected e = ejected.get(node);
    return e == null || e.reason() != Ejection.UNREACHABLE;
  }

  /**
   * {@code node} is out of this node's routing for {@code reason}; when it is lost, every request waiting on it fails
   * now. Idempotent: a node already ejected is not ejected again (its waiting requests were failed then) — unless it
   * was out for a timeout and is now found lost, when what it still has is failed after all.
   */
  public void eject(String node, Ejection reason, String detail) {
    if (node.equals(localNode)) {
      return;
    }
    Ejected now = new Ejected(clock.instant(), reason);
    Ejected before = ejected.putIfAbsent(node, now);
    if (before != null && (before.reason().lost() || !reason.lost() || !ejected.replace(node, before, now))) {
      return;
    }
    Counter.builder(MetricNames.CLUSTER_EJECTIONS).tag("reason", reason.label())
        .description("Nodes ejected from this node's routing").register(registry).increment();
    LOG.warn("node {} {}: no traffic to it until it answers a probe{}", node, detail,
        reason.lost() ? "; the requests waiting on it fail now" : "");
    if (reason.lost()) {
      failWaiting(node, detail);
    }
  }

  /** {@code node} left the cluster: the requests waiting on it fail, and there is nothing left to eject or probe. */
  public void left(String node) {
    failWaiting(node, "left the cluster");
    ejected.remove(node);
    waiting.remove(node);
  }

  private void failWaiting(String node, String why) {
    Set<Promise<?>> onNode = waiting.get(node);
    if (onNode == null) {
      return;
    }
    for (Promise<?> p : onNode) {
      if (onNode.remove(p) && !p.future().isComplete()) {
        lostRequests.increment();
        p.tryFail(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.NODE_LOST,
            "node " + node + " " + why));
      }
    }
  }

  private void probeEjected() {
    for (String node : ejected.keySet()) {
      if (!membership.knows(node)) {
        ejected.remove(node); // it left the cluster: nothing to probe
        continue;
      }
      vertx.eventBus().request(NodeAddresses.probe(node), null,
              new DeliveryOptions().setSendTimeout(timing.probe().toMillis()))
          .onSuccess(reply -> {
            if (ejected.remove(node) != null) {
              LOG.info("node {} answers probes again: back in rotation", node);
            }
          });
    }
  }
}
