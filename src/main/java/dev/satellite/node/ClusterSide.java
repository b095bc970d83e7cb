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
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clustered half of a node: the Hazelcast member (created here, so the node can follow membership
 * itself), the membership view with its node registry, the router that picks nodes and ejects silent ones,
 * and the freeze detector. Any sign that this node was removed from the cluster ends the process with 70.
 *
 * <p>Thread-safe: lifecycle methods are called in order by {@link Node}; the parts are thread-safe.
 */
final class ClusterSide {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSide.class);

  private final SatelliteConfig config;
  private final Clock clock;
  private final MeterRegistry registry;
  private final CrashExit crashExit;
  private final LocalInstances instances;
  private final String eventBusHost;
  private volatile HazelcastInstance hazelcast;
  private ClusterMembership membership;
  private ClusterRouter router;
  private FreezeDetector freeze;

  /** @param eventBusHost the address the event bus binds (for the message of a port clash) */
  ClusterSide(SatelliteConfig config, Clock clock, MeterRegistry registry, CrashExit crashExit, LocalInstances instances,
      String eventBusHost) {
    this.config = config;
    this.eventBusHost = eventBusHost;
    this.instances = instances;
    this.clock = clock;
    this.registry = registry;
    this.crashExit = crashExit;
  }

  /**
   * Starts the Hazelcast member off the caller's thread, then builds a clustered Vert.x on it and the
   * membership view and router over both.
   */
  Future<Vertx> build(VertxBuilder builder) {
    var hazelcastConfig = HazelcastConfigs.build(config.cluster());
    CompletableFuture<HazelcastInstance> member = CompletableFuture.supplyAsync(
        () -> Hazelcast.newHazelcastInstance(hazelcastConfig), ownThread("satellite-hazelcast-start"));
    return Future.fromCompletionStage(member).compose(h -> {
      hazelcast = h;
      return builder.withClusterManager(new HazelcastClusterManager(h)).buildClustered()
          .recover(t -> Future.failedFuture(eventBusBindFailure(t)));
    }).map(vertx -> {
      membership = new ClusterMembership(hazelcast, config.nodeId(), clock, registry, blockingOn(vertx));
      membership.onRemoved(reason -> crashExit.exit(CrashExit.CODE, "removed from the cluster: " + reason));
      router = new ClusterRouter(vertx, config.nodeId(), membership, config.cluster().ejectProbe(), clock, registry,
          instances);
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

  /** Runs blocking cluster calls (Hazelcast map operations) on Vert.x's worker pool, never on an event loop. */
  private static Executor blockingOn(Vertx vertx) {
    return task -> vertx.executeBlocking(() -> {
      task.run();
      return null;
    }, false);
  }

  /** Runs one blocking task on a thread of its own (the node's Vert.x does not exist yet, or no longer). */
  private static Executor ownThread(String name) {
    return task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      t.start();
    };
  }

  /** Once actors are deployed: answer probes, register this node and its actors, watch for a freeze. */
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
    if (h == null) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(CompletableFuture.runAsync(() -> h.getLifecycleService().shutdown(),
        ownThread("satellite-hazelcast-stop")));
  }
}
