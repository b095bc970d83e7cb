package dev.satellite.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness between Satellite nodes the way Erlang nodes keep it: every node sends a tiny tick over the event bus to
 * every other serving node every {@code tick}, and watches the ticks it receives.
 * <ul>
 *   <li>A tick that cannot be written — the connection was refused or closed: the process is gone — reports that
 *       node lost at once ({@code unreachable}). A killed process is known within one tick.</li>
 *   <li>A node whose ticks stopped for {@code ejectAfter} — frozen, partitioned, or its event loops starved — is
 *       reported lost ({@code silent}) on every check while it stays silent.</li>
 *   <li>A peer that has just begun to serve and has not been heard from yet gets {@value #JOIN_ALLOWANCE} times
 *       {@code ejectAfter} for its first tick: the other nodes route to it from the moment it registers, while its
 *       own first ticks still wait on a fresh JVM (connections to open, classes to load, a JIT not yet warm) — on a
 *       loaded machine that took longer than {@code ejectAfter}, and the requests just sent to it were failed for
 *       a silence that was only a start. From its first tick on, the ordinary limit holds. (A node that is itself
 *       starting gives every peer the same allowance: it has heard none of them yet.) Until that first tick the
 *       router sends the peer no requests ({@link #heardFrom}), so nothing waits on a connection not yet proven.</li>
 *   <li>Time this node itself did not run (its own check came late: a pause, a stop, a starved loop) is not held
 *       against the others: their ticks could not be heard, so the clocks start again.</li>
 * </ul>
 * What "lost" does is the router's business (it stops routing there and fails the requests waiting on the node);
 * Hazelcast's own failure detector, slower and more careful, removes the member from the cluster later.
 *
 * <p>Confined to one event-loop context of its own: the consumer, the timer and the write results all run there, so
 * its state needs no lock. {@link #heard}, {@link #check} and {@link #unwritten} are package-private for tests, which
 * call them from one thread with a clock they move by hand.
 */
public final class NodeTicks {

  /** How many times {@code ejectAfter} a newly serving peer has for its first tick. */
  public static final int JOIN_ALLOWANCE = 5;

  private static final Logger LOG = LoggerFactory.getLogger(NodeTicks.class);

  private final Vertx vertx;
  private final String localNode;
  private final Supplier<Set<String>> peers;
  private final Predicate<String> reachable;
  private final long tickNanos;
  private final long ejectAfterNanos;
  private final LongSupplier nanos;
  private final Lost onLost;
  private final Map<String, Long> lastHeard = new HashMap<>();
  /** Watched peers not heard from since they began to serve, with when that was. */
  private final Map<String, Long> awaitingFirst = new HashMap<>();
  /** Watched peers heard from since they began to serve: read by the router from any thread. */
  private final Set<String> heardFrom = ConcurrentHashMap.newKeySet();
  private final Map<String, MessageProducer<String>> senders = new HashMap<>();
  private final Context context;
  private long lastCheck;
  private MessageConsumer<String> consumer;
  private long timer = -1;

  /** What to do with a lost node: called on this object's context. */
  @FunctionalInterface
  public interface Lost {
    void lost(String node, Ejection reason, String detail);
  }

  /**
   * @param peers     the nodes to tick and watch (those that serve actors; this one is skipped)
   * @param reachable whether a peer is worth a tick: not one whose connection was just refused (each try would only
   *                  be refused again, and logged, until it answers a probe or leaves)
   * @param onLost    told of each lost node
   */
  public NodeTicks(Vertx vertx, String localNode, Supplier<Set<String>> peers, Predicate<String> reachable,
      Duration tick, Duration ejectAfter, LongSupplier nanos, Lost onLost) {
    this.vertx = vertx;
    this.localNode = localNode;
    this.peers = peers;
    this.reachable = reachable;
    this.tickNanos = tick.toNanos();
    this.ejectAfterNanos = ejectAfter.toNanos();
    this.nanos = nanos;
    this.onLost = onLost;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.lastCheck = nanos.getAsLong();
  }

  /** Listens for ticks and starts sending and checking them. */
  public Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      lastCheck = nanos.getAsLong();
      consumer = vertx.eventBus().consumer(NodeAddresses.tick(localNode), m -> heard(m.body()));
      timer = vertx.setPeriodic(Math.max(1, tickNanos / 1_000_000), id -> {
        tick();
        check();
      });
      consumer.completion().onComplete(started);
    });
    return started.future();
  }

  public Future<Void> stop() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      senders.values().forEach(MessageProducer::close);
      senders.clear();
      (consumer == null ? Future.<Void>succeededFuture() : consumer.unregister()).onComplete(stopped);
    });
    return stopped.future();
  }

  /**
   * Whether a tick from {@code node} has arrived since it began to serve (as this node saw it): until then its bus
   * connection is unproven — a node still starting, or one that cannot reach this one at all (a certificate of
   * another CA) — and the router sends it nothing. Safe from any thread.
   */
  boolean heardFrom(String node) {
    return heardFrom.contains(node);
  }

  /** A tick from {@code node} arrived. */
  void heard(String node) {
    if (node != null && !node.equals(localNode)) {
      long now = nanos.getAsLong();
      lastHeard.put(node, now);
      Long since = awaitingFirst.remove(node);
      if (since != null) {
        heardFrom.add(node);
        if (now - since > ejectAfterNanos) {
          LOG.info("first tick from node {} came {} ms after it began to serve", node, (now - since) / 1_000_000);
        }
      }
    }
  }

  /** Sends this node's tick to every peer; a tick that cannot be written reports its node lost. */
  private void tick() {
    Set<String> now = peers.get();
    senders.entrySet().removeIf(e -> {
      if (now.contains(e.getKey())) {
        return false;
      }
      e.getValue().close();
      return true;
    });
    for (String node : now) {
      if (node.equals(localNode) || !reachable.test(node)) {
        continue;
      }
      senders.computeIfAbsent(node, n -> vertx.eventBus().sender(NodeAddresses.tick(n))).write(localNode)
          .onFailure(t -> unwritten(node, t));
    }
  }

  /**
   * A tick to {@code node} could not be written. No handler for it is no sign of trouble (a node still starting or
   * already leaving); a refused or closed connection is.
   */
  void unwritten(String node, Throwable failure) {
    if (!(failure instanceof ReplyException)) {
      onLost.lost(node, Ejection.UNREACHABLE, "cannot be reached (" + failure.getMessage() + ")");
    }
  }

  /**
   * Reports every peer whose last tick is older than {@code ejectAfter} (or, for a peer not heard from since it began
   * to serve, than the join allowance). A peer seen for the first time starts with a full allowance; one that left
   * stops being watched.
   */
  void check() {
    long now = nanos.getAsLong();
    long sinceLastCheck = now - lastCheck;
    lastCheck = now;
    Set<String> current = new HashSet<>(peers.get());
    current.remove(localNode);
    lastHeard.keySet().retainAll(current);
    awaitingFirst.keySet().retainAll(current);
    heardFrom.retainAll(current);
    for (String node : current) {
      if (heardFrom.contains(node) || awaitingFirst.containsKey(node)) {
        continue;
      }
      if (lastHeard.containsKey(node)) {
        heardFrom.add(node); // newly watched, and a tick of it came since the last check: its connection works
      } else {
        lastHeard.put(node, now);
        awaitingFirst.put(node, now);
      }
    }
    if (sinceLastCheck > tickNanos + ejectAfterNanos / 2) {
      // this node did not run for a while: the others' ticks could not be heard, so nothing is known against them
      current.forEach(node -> lastHeard.put(node, now));
      return;
    }
    for (String node : current) {
      long silence = now - lastHeard.get(node);
      boolean joining = awaitingFirst.containsKey(node);
      if (silence > (joining ? ejectAfterNanos * JOIN_ALLOWANCE : ejectAfterNanos)) {
        onLost.lost(node, Ejection.SILENT,
            (joining ? "sent no first tick for " : "sent no tick for ") + silence / 1_000_000 + " ms");
      }
    }
  }
}
