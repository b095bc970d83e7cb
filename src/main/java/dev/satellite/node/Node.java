package dev.satellite.node;

import dev.satellite.admin.AdminVerticle;
import dev.satellite.admin.MetricsVerticle;
import dev.satellite.actor.BusMeter;
import dev.satellite.admin.ClusterEndpoint;
import dev.satellite.admin.EdgesEndpoint;
import dev.satellite.edge.EdgeBus;
import dev.satellite.edge.EdgePolicies;
import dev.satellite.cluster.BusRouter;
import dev.satellite.cluster.LocalInstances;
import dev.satellite.config.ConfigLoader;
import dev.satellite.config.SatelliteConfig;
import dev.satellite.gateway.Gateway;
import dev.satellite.http.ClientErrors;
import io.vertx.core.Context;
import io.vertx.core.internal.VertxInternal;
import dev.satellite.health.NodePhase;
import dev.satellite.health.NodeStatus;
import dev.satellite.http.ListenerCertificates;
import dev.satellite.metrics.MetricNames;
import dev.satellite.metrics.VertxMeters;
import dev.satellite.admin.AdminEndpoint;
import dev.satellite.admin.ChaosEndpoint;
import dev.satellite.admin.SupervisionEndpoint;
import dev.satellite.chaos.ChaosMonkey;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.services.push.Push;
import dev.satellite.chaos.FaultSpec;
import dev.satellite.chaos.NodeEffects;
import dev.satellite.config.ChildSpec;
import dev.satellite.config.RouteSpec;
import dev.satellite.config.SupervisionConfig;
import dev.satellite.config.SupervisorSpec;
import dev.satellite.services.ActorTypes;
import dev.satellite.supervision.CrashExit;
import dev.satellite.supervision.LoopWatchdog;
import dev.satellite.supervision.Supervision;
import dev.satellite.supervision.SupervisionEvents;
import dev.satellite.supervision.SupervisionTree;
import dev.satellite.supervision.Supervisor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Satellite node: builds Vert.x (standalone or clustered), deploys the root supervisor (which deploys
 * the actors), the two listeners and the event-loop watchdog, and takes them down again in order on
 * shutdown.
 *
 * <p>Thread-safe: {@link #start()} and {@link #shutdown()} may be called from any thread (the CLI's main
 * thread, a signal handler); the work they start runs on Vert.x threads.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final SatelliteConfig config;
  private final Map<String, Object> effectiveConfig;
  private final Clock clock;
  private final LongSupplier nanos;
  private final NodeStatus status;
  private final PrometheusMeterRegistry registry;
  private final CrashExit crashExit;
  private final FaultRegistry faults;
  private final SupervisionTree tree;
  private final ClientErrors clientErrors;
  /** Each kind of client mistake is logged at most once per this interval (with a count). */
  static final Duration CLIENT_ERROR_LOG_INTERVAL = Duration.ofSeconds(10);
  /** How often expired chaos faults are reverted (their effect already stops on time; this logs and counts it). */
  static final long FAULT_SWEEP_MS = 200;
  private final LocalInstances instances = new LocalInstances();
  private final Instant processStart;
  private final AtomicReference<Future<Void>> shutdown = new AtomicReference<>();
  private volatile Vertx vertx;
  private volatile String gatewayDeployment;
  private volatile String rootDeployment;
  private volatile Supervisor rootSupervisor;
  private volatile ClusterSide cluster;
  private volatile BusRouter bus;
  private volatile EdgePolicies policies;
  private volatile EdgeBus actorCalls;
  private volatile Gateway gateway;
  private volatile LoopWatchdog watchdog;

  /**
   * @param crashExit how the process ends when the root supervisor gives up or an event loop is wedged
   */
  public Node(ConfigLoader.Loaded loaded, Clock clock, CrashExit crashExit) {
    this(loaded, clock, System::nanoTime, crashExit);
  }

  /**
   * @param nanos the clock of the edge policies' decisions (breaker waits and failure windows, retry budgets, rate
   *              limits); tests move it by hand
   */
  public Node(ConfigLoader.Loaded loaded, Clock clock, LongSupplier nanos, CrashExit crashExit) {
    this(loaded, clock, nanos, crashExit, ProcessStart.instant());
  }

  /**
   * @param processStart when the process's JVM started, on {@code clock}'s time line: "start to ready" (the ready log line,
   *                     {@code satellite_start_to_ready_seconds}) is measured from it
   */
  public Node(ConfigLoader.Loaded loaded, Clock clock, LongSupplier nanos, CrashExit crashExit, Instant processStart) {
    this.processStart = Objects.requireNonNull(processStart);
    this.nanos = Objects.requireNonNull(nanos);
    this.config = loaded.config();
    this.effectiveConfig = loaded.tree();
    this.clock = Objects.requireNonNull(clock);
    this.crashExit = Objects.requireNonNull(crashExit);
    this.status = new NodeStatus(config.nodeId(), clock.instant());
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.faults = config.chaos().enabled() ? new FaultRegistry(clock) : FaultRegistry.DISABLED;
    this.tree = new SupervisionTree(registry);
    this.clientErrors = new ClientErrors(registry, CLIENT_ERROR_LOG_INTERVAL.toNanos(), System::nanoTime);
    NodeMetrics.conventions(registry);
  }

  /** The faults injected into this node (chaos); {@link FaultRegistry#DISABLED} unless chaos is enabled. */
  public FaultRegistry faults() {
    return faults;
  }

  /** The live view of the supervision tree. */
  public SupervisionTree supervisionTree() {
    return tree;
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
    if (!config.metrics().eventBus()) {
      metrics.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    }
    VertxOptions options = new VertxOptions().setMetricsOptions(metrics).setEventLoopPoolSize(config.eventLoops());
    MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory(registry);
    VertxMetricsFactory meters = o -> new VertxMeters(micrometer.metrics(o), config.metrics().httpRequests());
    Future<Vertx> built;
    if (config.cluster().enabled()) {
      String host = clusterHost();
      options.getEventBusOptions().setHost(host).setClusterPublicHost(host).setPort(config.cluster().eventBusPort());
      SatelliteConfig.Tls tls = config.cluster().tls();
      if (tls.enabled()) { // both ends show a certificate the CA signed; the bus does not check host names
        options.getEventBusOptions().setSsl(true).setClientAuth(ClientAuth.REQUIRED)
            .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().orElseThrow().toString())
                .setKeyPath(tls.key().orElseThrow().toString()))
            .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().orElseThrow().toString()));
      }
      cluster = new ClusterSide(config, clock, nanos, registry, crashExit, instances, host);
      try {
        built = cluster.build(Vertx.builder().with(options).withMetrics(meters));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    } else {
      built = Future.succeededFuture(Vertx.builder().with(options).withMetrics(meters).build());
    }
    return built.compose(v -> {
      this.vertx = v;
      v.exceptionHandler(t -> LOG.error("uncaught exception on a Vert.x thread", t));
      NodeMetrics.bind(registry, status);
      if (config.push().enabled()) {
        Push.install(v, config.push(), registry);
      }
      status.detail(() -> new JsonObject().put("actors", tree.actorStatuses(SupervisionConfig.ROOT_ID)));
      bus = new BusMeter(cluster != null ? cluster.router() : BusRouter.local(v, instances), registry);
      // breakers' timers and probes run on a context the node owns: never undeployed, so no actor's end strands one
      Context home = ((VertxInternal) v).createEventLoopContext();
      policies = new EdgePolicies(config.edge(), config.routes(), v, home, cluster == null ? null : cluster.hazelcast(),
          registry, nanos, gatewayInstances());
      actorCalls = new EdgeBus(bus, config.actorCalls(), v, home, registry, nanos, clock);
      gateway = new Gateway(config, status, bus, clock, policies, v, registry, clientErrors, faults);
      startChaos(v, home);
      Supervision supervision = new Supervision(config.nodeId(), clock, () -> ThreadLocalRandom.current().nextDouble(),
          ActorTypes::create, faults, new SupervisionEvents(v, registry), tree, crashExit, registry, actorCalls);
      rootSupervisor = Supervisor.root(config.supervision().root(), supervision);
      return v.deployVerticle(rootSupervisor);
    }).compose(id -> {
      rootDeployment = id;
      if (shutdown.get() != null) {
        return Future.failedFuture("shutdown began while the node was starting");
      }
      return vertx.deployVerticle(
          new AdminVerticle(config, effectiveConfig, status, registry, adminEndpoints(), clientErrors, clock),
          new DeploymentOptions());
    }).compose(v -> !config.metrics().listener() ? Future.succeededFuture() : vertx.deployVerticle(
        new MetricsVerticle(config.metrics().host(), config.metrics().port(), config.nodeId(), status, registry,
            clientErrors), new DeploymentOptions())
    ).compose(v -> {
      AtomicInteger loop = new AtomicInteger();
      return vertx.deployVerticle(() -> gateway.verticle(loop.getAndIncrement()),
          new DeploymentOptions().setInstances(gatewayInstances()));
    }
    ).compose(id -> ListenerCertificates.warm(vertx, config.http().host(), config.http().port(), config.http().tls(),
        "http").compose(v -> ListenerCertificates.warm(vertx, config.admin().host(), config.admin().port(),
        config.admin().tls(), "admin")).map(id)
    ).compose(id -> {
      gatewayDeployment = id;
      // Other nodes route here (and start watching this node's ticks) from the moment its actors are registered, so
      // that comes last: deploying the listeners loads and links thousands of classes on the event loops, and that
      // work is better done before anyone waits on this node (NodeTicks also gives a joining node a longer
      // allowance for its first tick: on a loaded machine it came later than cluster.ejectAfter).
      return cluster == null ? Future.<Void>succeededFuture() : cluster.join(vertx,
          actorChildren(config.supervision().root(), new ArrayList<>()).stream().map(ChildSpec::address).distinct()
              .toList());
    }).map(v -> {
      startWatchdog();
      status.advance(NodePhase.READY);
      Duration startToReady = Duration.between(processStart, clock.instant());
      Gauge.builder(MetricNames.START_TO_READY, () -> startToReady.toNanos() / 1e9).baseUnit("seconds")
          .description("From the JVM's start to the node's first ready").register(registry);
      LOG.info("node {} ready {} ms after the JVM started ({} ms of it starting the node; public {}://{}:{},"
          + " admin {}://{}:{}, {})", config.nodeId(), startToReady.toMillis(), (System.nanoTime() - t0) / 1_000_000,
          config.http().tls().enabled() ? "https" : "http", config.http().host(), config.http().port(),
          config.admin().tls().enabled() ? "https" : "http", config.admin().host(), config.admin().port(),
          config.cluster().enabled() ? "cluster " + config.cluster().name() : "standalone");
      return (Void) null;
    });
  }

  private List<AdminEndpoint> adminEndpoints() {
    List<AdminEndpoint> endpoints = new ArrayList<>();
    endpoints.add(new SupervisionEndpoint(tree, SupervisionConfig.ROOT_ID));
    endpoints.add(new EdgesEndpoint(policies, actorCalls));
    endpoints.add(cluster == null ? new ClusterEndpoint(config.nodeId(), null, null)
        : new ClusterEndpoint(config.nodeId(), cluster.membership(), cluster.router()));
    if (faults.enabled()) {
      FaultSpec.Catalog catalog = FaultSpec.Catalog.of(
          actorChildren(config.supervision().root(), new ArrayList<>()).stream().map(ChildSpec::id).collect(Collectors.toSet()),
          config.routes().stream().collect(Collectors.toMap(RouteSpec::name, RouteSpec::path)),
          config.routes().stream().filter(r -> r.upstream().isPresent()).map(RouteSpec::name).collect(Collectors.toSet()));
      endpoints.add(new ChaosEndpoint(faults, catalog, config.nodeId()));
    }
    return endpoints;
  }

  /** Every actor child in the supervision tree, depth first. */
  private static List<ChildSpec> actorChildren(SupervisorSpec spec, List<ChildSpec> into) {
    for (ChildSpec child : spec.children()) {
      if (child.isSupervisor()) {
        actorChildren(child.supervisor().orElseThrow(), into);
      } else {
        into.add(child);
      }
    }
    return into;
  }

  /**
   * With chaos on: node faults get their effects, every injection and revert is logged, counted and published,
   * expired faults are reverted a few times a second on the node's own context, and the monkey (if on) starts.
   */
  private void startChaos(Vertx v, Context home) {
    if (!faults.enabled()) {
      return;
    }
    ChaosEvents events = new ChaosEvents(faults, registry, v.eventBus(), config.nodeId());
    faults.listen(events);
    faults.effects(new NodeEffects(v, code -> Runtime.getRuntime().halt(code)));
    home.runOnContext(x -> v.setPeriodic(FAULT_SWEEP_MS, t -> faults.revertExpired()));
    SatelliteConfig.Monkey m = config.chaos().monkey();
    if (m.enabled()) {
      long seed = m.seed() != 0 ? m.seed() : ThreadLocalRandom.current().nextLong();
      ChaosMonkey monkey = new ChaosMonkey(faults, m.crashesPerMinute(), m.targets(), seed, events::struck);
      LOG.warn("chaos: the monkey crashes {} actor instances a minute (targets {}, seed {})", m.crashesPerMinute(),
          m.targets().isEmpty() ? "all actors" : m.targets(), seed);
      home.runOnContext(x -> monkeyAfter(v, monkey, monkey.nextDelayMs()));
    }
  }

  /** The monkey's next crash; it stops with the node. */
  private void monkeyAfter(Vertx v, ChaosMonkey monkey, long delayMs) {
    v.setTimer(delayMs, t -> {
      if (shutdown.get() == null) {
        monkeyAfter(v, monkey, monkey.strike());
      }
    });
  }

  /** A wedged event loop marks the node not live and ends the process (crash-fast). */
  private void startWatchdog() {
    LoopWatchdog w = LoopWatchdog.forEventLoops(vertx, config.supervision().maxLoopBlock(), reason -> {
      status.markWedged(reason);
      crashExit.exit(CrashExit.CODE, "wedged: " + reason);
    });
    if (shutdown.get() == null) {
      watchdog = w;
      w.start();
    }
  }

  private int gatewayInstances() {
    int n = config.http().instances();
    return n > 0 ? n : config.eventLoops();
  }

  /** The event bus host: {@code cluster.host}, else {@code $POD_IP} (Kubernetes), else loopback. */
  private String clusterHost() {
    if (!config.cluster().host().isEmpty()) {
      return config.cluster().host();
    }
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
    LoopWatchdog w = watchdog;
    if (w != null) {
      w.stop(); // loops slow down while closing; that is not a wedge
    }
    Vertx v = vertx;
    if (v == null) {
      status.advance(NodePhase.STOPPED);
      promise.complete();
      return promise.future();
    }
    Duration drain = config.shutdown().drainDelay();
    LOG.info("shutting down: readiness is 503; draining for {} ms, then up to {} ms for in-flight requests",
        drain.toMillis(), config.shutdown().grace().toMillis());
    ClusterSide c = cluster;
    Gateway g = gateway;
    delay(v, drain)
        .compose(x -> gatewayDeployment == null ? Future.succeededFuture() : v.undeploy(gatewayDeployment))
        .eventually(() -> g == null ? Future.succeededFuture() : g.close())
        .eventually(() -> c == null ? Future.succeededFuture() : c.leave(v))
        .eventually(() -> rootSupervisor == null ? Future.succeededFuture() : rootSupervisor.quiesce())
        .eventually(() -> rootDeployment == null ? Future.succeededFuture() : v.undeploy(rootDeployment))
        .eventually(() -> v.close())
        .eventually(() -> c == null ? Future.succeededFuture() : c.shutdown())
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

  /** Closes Vert.x (and leaves the cluster) at once, without draining; used when start failed. */
  public Future<Void> close() {
    Vertx v = vertx;
    ClusterSide c = cluster;
    Future<Void> closed = v == null ? Future.succeededFuture() : v.close();
    return closed.eventually(() -> c == null ? Future.succeededFuture() : c.shutdown());
  }
}
