package dev.satellite.admin;

import dev.satellite.health.HealthHandlers;
import dev.satellite.health.NodeStatus;
import dev.satellite.http.ClientErrors;
import dev.satellite.http.ErrorResponses;
import dev.satellite.http.Listen;
import dev.satellite.http.RequestIds;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.concurrent.TimeUnit;

/**
 * The metrics listener ({@code metrics.host}/{@code metrics.port}, off unless a port is set): the read-only part of the
 * admin listener — {@code GET /metrics}, {@code /metrics/{name}} and the health probes, no token — on a port of its
 * own, so a network policy can open it to a monitoring namespace and the kubelet while the admin listener stays on
 * loopback. Nothing under {@code /admin} is served here (404).
 *
 * <p>Event-loop confined (one instance).
 */
public final class MetricsVerticle extends VerticleBase {

  private final String host;
  private final int port;
  private final String nodeId;
  private final NodeStatus status;
  private final PrometheusMeterRegistry registry;
  private final ClientErrors errors;
  private HttpServer server;

  public MetricsVerticle(String host, int port, String nodeId, NodeStatus status, PrometheusMeterRegistry registry,
      ClientErrors errors) {
    this.host = host;
    this.port = port;
    this.nodeId = nodeId;
    this.status = status;
    this.registry = registry;
    this.errors = errors;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    mountReadOnly(router, registry, status);
    ErrorResponses.install(router, nodeId, errors);
    server = vertx.createHttpServer(new HttpServerOptions()).requestHandler(router);
    return Listen.on(server, host, port, "metrics");
  }

  /** What both listeners serve without a token: the scrape, one metric's value, the probes. */
  static void mountReadOnly(Router router, PrometheusMeterRegistry registry, NodeStatus status) {
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.get("/metrics/:name").handler(new MetricValue(registry));
    new HealthHandlers(status).mount(router);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(1, TimeUnit.SECONDS);
  }
}
