package dev.satellite.node;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.satellite.cluster.ClusterMembership;
import dev.satellite.cluster.ClusterRouter;
import dev.satellite.cluster.FreezeDetector;
import dev.satellite.cluster.HazelcastConfigs;
import dev.satellite.cluster.LocalInstances;
import dev.satellite.config.SatelliteConfig;
import dev.satellite.supervision.CrashExit;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Clock;
import java.util.List;
import java.net.BindException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clustered half of a node: the Hazelcast member (created here, so the node can follow membership
 * itself), the membership view with its node registry, the router that picks nodes and ejects lost ones,
 * and the freeze detector. The node's id is claimed in the registry as soon as the member has joined — before the
 * clustered event bus exists, so a node refused for a taken id never listened on an address. Any sign that this node
 * was removed from the cluster ends the process with 70.
 *
 * <p>Thread-safe: lifecycle methods are called in order by {@link Node}; the parts are thread-safe.
 */
final class ClusterSide {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSide.class);

  private final SatelliteConfig config;
  private final Clock clock;
  private final MeterRegistry registry;
  private final LongSupplier nanos;
  private final CrashExit crashExit;
  /** Blocking registry calls made from Hazelcast's event threads (which must not block) run here. */
  private final ExecutorService registryCalls = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "satellite-cluster-registry");
    t.setDaemon(true);
    return t;
  });
  private final LocalInstances instances;
  private final String eventBusHost;
  private volatile HazelcastInstance hazelcast;
  private ClusterMembership membership;
  private ClusterRouter router;
  private FreezeDetector freeze;

  /**
   * @param nanos        the clock of the ticks between nodes
   * @param eventBusHost the address the event bus binds (for the message of a port clash)
   */
  ClusterSide(SatelliteConfig config, Clock clock, LongSupplier nanos, MeterRegistry registry, CrashExit crashExit,
      LocalInstances instances, String eventBusHost) {
    this.nanos = nanos;
    this.config = config;
    this.eventBusHost = eventBusHost;
    this.instances = instances;
    this.clock = clock;
    this.registry = registry;
    this.crashExit = crashExit;
  }

  /**
   * Off the caller's thread, starts the Hazelcast member and claims this node's id (failing with a
   * {@link dev.satellite.config.ConfigException} naming {@code node.id} when a live member has it); then builds a
   * clustered Vert.x on the member, and the router over both.
   */
  Future<Vertx> build(VertxBuilder builder) {
    var hazelcastConfig = HazelcastConfigs.build(config.cluster(), config.push().historySize());
    hazelcastConfig.getMemberAttributeConfig().setAttribute(ClusterMembership.NODE_ATTRIBUTE, config.nodeId());
    CompletableFuture<ClusterMembership> claimed = CompletableFuture.supplyAsync(() -> {
      HazelcastInstance h = Hazelcast.newHazelcastInstance(hazelcastConfig);
      hazelcast = h;
      ClusterMembership m = new ClusterMembership(h, config.nodeId(), clock, registry, registryCalls);
      m.claim();
      return m;
    }, ownThread("satellite-hazelcast-start"));
    return Future.fromCompletionStage(claimed).recover(t -> Future.failedFuture(
        t instanceof CompletionException && t.getCause() != null ? t.getCause() : t)).compose(m -> {
      membership = m;
      m.onRemoved(reason -> crashExit.exit(CrashExit.CODE, "removed from the cluster: " + reason));
      return builder.withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered()
          .recover(t -> Future.failedFuture(eventBusBindFailure(t)));
    }).map(vertx -> {
      SatelliteConfig.Cluster c = config.cluster();
      router = new ClusterRouter(vertx, config.nodeId(), membership,
          new ClusterRouter.Timing(c.ejectProbe(), c.tick(), c.ejectAfter()), clock, nanos, registry, instances);
      membership.onLeft(router::left);
      return vertx;
    });
  }

  /** A port clash of the event bus names the keys to change, like the HTTP listeners do. */
  private Throwable eventBusBindFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException) {
        String host = eventBusHost;
        return new BindException("cannot listen on " + host + ":" + config.cluster().eventBusPort()
            + " (cluster.host/cluster.eventBusPort): " + c.getMessage());
      }
    }
    return t;
  }

  /** Runs one blocking task on a thread of its own (the node's Vert.x does not exist yet, or no longer). */
  private static Executor ownThread(String name) {
    return task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      t.start();
    };
  }

  /**
   * Once actors are deployed: answer probes and ticks, register the actors this node serves (others route here from
   * then on), watch for a freeze.
   */
  Future<Void> join(Vertx vertx, List<String> actorAddresses) {
    return router.start()
        .compose(v -> vertx.executeBlocking(() -> {
          membership.register(actorAddresses);
          return null;
        }))
        .map(v -> {
          freeze = new FreezeDetector(config.cluster().maxPause(), System::nanoTime,
              reason -> crashExit.exit(CrashExit.CODE, "removed from the cluster: " + reason));
          freeze.start();
          LOG.info("joined cluster '{}' as {} ({} members)", config.cluster().name(), config.nodeId(), membership.size());
          return null;
        });
  }

  HazelcastInstance hazelcast() {
    return hazelcast;
  }

  ClusterRouter router() {
    return router;
  }

  ClusterMembership membership() {
    return membership;
  }

  /** Stops routing and removes this node from the registry, so the others stop sending here. */
  Future<Void> leave(Vertx vertx) {
    if (freeze != null) {
      freeze.stop();
    }
    if (membership == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      membership.leave();
      return null;
    }).compose(v -> router == null ? Future.succeededFuture() : router.stop());
  }

  /** Shuts the Hazelcast member down (after Vert.x left the cluster); blocking, so on a thread of its own. */
  Future<Void> shutdown() {
    HazelcastInstance h = hazelcast;
    registryCalls.shutdown();
    if (h == null) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(CompletableFuture.runAsync(() -> h.getLifecycleService().shutdown(),
        ownThread("satellite-hazelcast-stop")));
  }
}
