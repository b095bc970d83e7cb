package dev.satellite.gateway;

import dev.satellite.cluster.BusRouter;
import dev.satellite.config.SatelliteConfig;
import dev.satellite.http.AccessLog;
import dev.satellite.http.ErrorResponses;
import dev.satellite.http.Listen;
import dev.satellite.http.Problem;
import dev.satellite.http.RequestIds;
import dev.satellite.health.HealthHandlers;
import dev.satellite.health.NodeStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The public listener: health probes and the routes that lead to actors. One instance per event loop;
 * Vert.x spreads connections over the instances.
 *
 * <p>Event-loop confined (each instance on its own loop); shares only the thread-safe {@link NodeStatus}.
 */
public final class GatewayVerticle extends VerticleBase {

  private final SatelliteConfig config;
  private final NodeStatus status;
  private final BusRouter bus;
  private final Clock clock;
  private HttpServer server;

  public GatewayVerticle(SatelliteConfig config, NodeStatus status, BusRouter bus, Clock clock) {
    this.config = config;
    this.status = status;
    this.bus = bus;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    if (config.log().access()) {
      router.route().handler(new AccessLog());
    }
    HealthHandlers health = new HealthHandlers(status);
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    new ActorRoutes(config, bus, clock).mount(router);
    ErrorResponses.install(router, config.nodeId());

    server = vertx.createHttpServer(new HttpServerOptions()).requestHandler(router);
    return Listen.on(server, config.http().host(), config.http().port(), "http");
  }

  /** Stops accepting, lets in-flight requests finish within the grace period, then closes. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(config.shutdown().grace().toMillis(), TimeUnit.MILLISECONDS);
  }
}
