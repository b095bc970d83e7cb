package dev.satellite.node;

import dev.satellite.admin.AdminVerticle;
import dev.satellite.cluster.HazelcastConfigs;
import dev.satellite.config.ConfigLoader;
import dev.satellite.config.SatelliteConfig;
import dev.satellite.gateway.GatewayVerticle;
import dev.satellite.health.NodePhase;
import dev.satellite.health.NodeStatus;
import dev.satellite.services.HelloActor;
import dev.satellite.actor.Actor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Satellite node: builds Vert.x (standalone or clustered), deploys the actors and the two listeners,
 * and takes them down again in order on shutdown.
 *
 * <p>Thread-safe: {@link #start()} and {@link #shutdown()} may be called from any thread (the CLI's main
 * thread, a signal handler); the work they start runs on Vert.x threads.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final SatelliteConfig config;
  private final Map<String, Object> effectiveConfig;
  private final Clock clock;
  private final NodeStatus status;
  private final PrometheusMeterRegistry registry;
  private final AtomicReference<Future<Void>> shutdown = new AtomicReference<>();
  private volatile Vertx vertx;
  private volatile String gatewayDeployment;

  public Node(ConfigLoader.Loaded loaded, Clock clock) {
    this.config = loaded.config();
    this.effectiveConfig = loaded.tree();
    this.clock = Objects.requireNonNull(clock);
    this.status = new NodeStatus(config.nodeId(), clock.instant());
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  public SatelliteConfig config() {
    return config;
  }

  public NodeStatus status() {
    return status;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The node's Vert.x, once {@link #start()} built it. */
  public Vertx vertx() {
    return vertx;
  }

  /** Builds Vert.x and deploys everything; completes when the node is ready (or failed to start). */
  public Future<Void> start() {
    long t0 = System.nanoTime();
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(config.nodeId());
    VertxOptions options = new VertxOptions().setMetricsOptions(metrics);
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry));
    Future<Vertx> built;
    if (config.cluster().enabled()) {
      options.getEventBusOptions().setHost(clusterHost());
      built = builder.withClusterManager(new HazelcastClusterManager(HazelcastConfigs.build(config.cluster())))
          .buildClustered();
    } else {
      built = Future.succeededFuture(builder.build());
    }
    return built.compose(v -> {
      this.vertx = v;
      v.exceptionHandler(t -> LOG.error("uncaught exception on a Vert.x thread", t));
      NodeMetrics.bind(registry, status);
      return deployActors(v);
    }).compose(v -> vertx.deployVerticle(
        new AdminVerticle(config, effectiveConfig, status, registry, List.of()), new DeploymentOptions())
    ).compose(v -> vertx.deployVerticle(() -> new GatewayVerticle(config, status),
        new DeploymentOptions().setInstances(gatewayInstances()))
    ).map(id -> {
      gatewayDeployment = id;
      status.advance(NodePhase.READY);
      LOG.info("node {} ready in {} ms (public http://{}:{}, admin http://{}:{}, {})",
          config.nodeId(), (System.nanoTime() - t0) / 1_000_000,
          config.http().host(), config.http().port(), config.admin().host(), config.admin().port(),
          config.cluster().enabled() ? "cluster " + config.cluster().name() : "standalone");
      return (Void) null;
    });
  }

  private Future<String> deployActors(Vertx v) {
    JsonObject hello = new JsonObject().put(Actor.ADDRESS, "hello");
    return v.deployVerticle(HelloActor::new, new DeploymentOptions().setConfig(hello).setInstances(1));
  }

  private int gatewayInstances() {
    int n = config.http().instances();
    return n > 0 ? n : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  private String clusterHost() {
    String podIp = System.getenv("POD_IP");
    return podIp != null && !podIp.isBlank() ? podIp : "127.0.0.1";
  }

  /**
   * Graceful shutdown: readiness turns 503 at once, {@code shutdown.drainDelay} passes so load balancers
   * stop routing here, the public listener stops accepting and lets in-flight requests finish (bounded
   * by {@code shutdown.grace}), then actors are undeployed and the cluster is left. Idempotent: a second
   * call returns the same future.
   */
  public Future<Void> shutdown() {
    Promise<Void> promise = Promise.promise();
    if (!shutdown.compareAndSet(null, promise.future())) {
      return shutdown.get();
    }
    status.advance(NodePhase.DRAINING);
    Vertx v = vertx;
    if (v == null) {
      status.advance(NodePhase.STOPPED);
      promise.complete();
      return promise.future();
    }
    Duration drain = config.shutdown().drainDelay();
    LOG.info("shutting down: readiness is 503; draining for {} ms, then up to {} ms for in-flight requests",
        drain.toMillis(), config.shutdown().grace().toMillis());
    delay(v, drain)
        .compose(x -> gatewayDeployment == null ? Future.succeededFuture() : v.undeploy(gatewayDeployment))
        .eventually(() -> v.close())
        .onComplete(ar -> {
          status.advance(NodePhase.STOPPED);
          if (ar.failed()) {
            LOG.warn("shutdown finished with an error: {}", ar.cause().toString());
          }
          LOG.info("node {} stopped after {} s up", config.nodeId(),
              Duration.between(status.startedAt(), clock.instant()).toSeconds());
          promise.complete();
        });
    return promise.future();
  }

  private static Future<Void> delay(Vertx v, Duration d) {
    if (d.isZero()) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    v.setTimer(d.toMillis(), id -> p.complete());
    return p.future();
  }

  /** Closes Vert.x at once, without draining; used when start failed. */
  public Future<Void> close() {
    Vertx v = vertx;
    return v == null ? Future.succeededFuture() : v.close();
  }
}
