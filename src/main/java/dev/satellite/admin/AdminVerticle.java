package dev.satellite.admin;

import dev.satellite.config.ConfigTree;
import dev.satellite.config.SatelliteConfig;
import dev.satellite.config.Version;
import dev.satellite.edge.BearerTokens;
import dev.satellite.edge.TokenFile;
import dev.satellite.http.ErrorResponses;
import dev.satellite.http.Listen;
import dev.satellite.http.ListenerCertificates;
import dev.satellite.health.NodeStatus;
import dev.satellite.http.ClientErrors;
import dev.satellite.http.RequestIds;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: {@code GET /metrics} (Prometheus text, no auth) and {@code GET /metrics/{name}} (one metric as
 * a number, {@link MetricValue}), the health probes {@code /health/live} and
 * {@code /health/ready} (the same as on the public listener, for Kubernetes: this listener is never at the public
 * one's connection cap), and the token-guarded {@code /admin/*} API — {@code /admin/info} here, the rest contributed
 * as {@link AdminEndpoint}s.
 *
 * <p>Event-loop confined; a single instance.
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);
  private final SatelliteConfig config;
  private final Map<String, Object> effectiveConfig;
  private final NodeStatus status;
  private final PrometheusMeterRegistry registry;
  private final List<AdminEndpoint> endpoints;
  private final ClientErrors errors;
  private final Clock clock;
  private HttpServer server;

  public AdminVerticle(SatelliteConfig config, Map<String, Object> effectiveConfig, NodeStatus status,
      PrometheusMeterRegistry registry, List<AdminEndpoint> endpoints, ClientErrors errors, Clock clock) {
    this.errors = errors;
    this.clock = clock;
    this.config = config;
    this.effectiveConfig = ConfigTree.redacted(effectiveConfig);
    this.status = status;
    this.registry = registry;
    this.endpoints = List.copyOf(endpoints);
  }

  /** The named admin tokens; those from files are re-read when the files change. */
  private List<BearerAuth.Credential> credentials() {
    return config.admin().tokens().stream().map(t -> {
      if (t.file().isEmpty()) {
        List<byte[]> digest = List.of(BearerTokens.digest(t.token().orElseThrow()));
        return new BearerAuth.Credential(t.name(), t.role(), () -> digest);
      }
      Path path = t.file().get();
      TokenFile f = new TokenFile(path, t.fileTokens(), vertx, registry);
      vertx.fileSystem().exists(path.toString()).onSuccess(there -> {
        if (!there) {
          LOG.warn("the file {} of the admin token '{}' does not exist (yet): that token opens nothing until it does",
              path, t.name());
        }
      });
      f.watch(context);
      return new BearerAuth.Credential(t.name(), t.role(), f::digests);
    }).toList();
  }

  @Override
  public Future<?> start() {
    FailedAuth failures = new FailedAuth(clock);
    Sessions sessions = new Sessions(clock, config.admin().sessionTtl());
    BearerAuth auth = new BearerAuth(credentials(), config.nodeId(), failures, sessions);
    Console console = new Console(vertx, config.nodeId(), clock, auth, failures, sessions, endpoints, this::node);
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    // the probes too: Kubernetes may ask here, so a public listener at its connection cap cannot fail them
    MetricsVerticle.mountReadOnly(router, registry, status);
    // the audit line is written when the call is answered, so it sees what the token check decided (a 403 too)
    router.route("/admin/*").handler(new Audit(clock));
    console.mountOpen(router);
    router.route("/admin/*").handler(auth);
    router.get("/admin/info").handler(this::info);
    console.mountGuarded(router);
    endpoints.forEach(e -> e.mount(router));
    ErrorResponses.install(router, config.nodeId(), errors);

    server = vertx.createHttpServer(ListenerCertificates.apply(new HttpServerOptions(), config.admin().tls()))
        .requestHandler(router);
    ListenerCertificates.watch(vertx, server, config.admin().tls(), "admin", registry);
    return console.start().compose(v -> Listen.on(server, config.admin().host(), config.admin().port(), "admin"));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(1, TimeUnit.SECONDS);
  }

  private void info(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(node().put("config", new JsonObject(effectiveConfig)).encodePrettily());
  }

  /** This node: id, version, start, uptime, phase, whether it is clustered and takes chaos faults. */
  private JsonObject node() {
    Instant started = status.startedAt();
    return new JsonObject()
        .put("node", config.nodeId())
        .put("version", Version.get())
        .put("startedAt", started.toString())
        .put("uptimeSeconds", Math.max(0, Duration.between(started, clock.instant()).toSeconds()))
        .put("phase", status.phase().label())
        .put("clustered", config.cluster().enabled())
        .put("chaos", config.chaos().enabled());
  }
}
