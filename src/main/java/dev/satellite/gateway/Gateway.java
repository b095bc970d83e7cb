package dev.satellite.gateway;

import dev.satellite.chaos.FaultRegistry;
import dev.satellite.cluster.BusRouter;
import dev.satellite.config.SatelliteConfig;
import dev.satellite.edge.EdgePolicies;
import dev.satellite.health.NodeStatus;
import dev.satellite.http.ClientErrors;
import dev.satellite.http.ListenerCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The public listener of a node: what its listener instances (one {@link GatewayVerticle} per event loop) share —
 * the routes' policies, the upstream clients, the connection guard with its node-wide count, and the log of
 * clients' mistakes.
 *
 * <p>Thread-safe.
 */
public final class Gateway {

  final SatelliteConfig config;
  final NodeStatus status;
  final BusRouter bus;
  final Clock clock;
  final EdgePolicies policies;
  final Upstreams upstreams;
  final ClientErrors errors;
  final HttpServerOptions serverOptions;
  final ConnectionGuard guard;
  final FaultRegistry faults;
  final MeterRegistry registry;

  /**
   * @param errors where clients' mistakes are counted and (sparingly) logged; shared with the admin listener
   * @param faults the chaos faults aimed at routes and upstreams ({@link FaultRegistry#DISABLED} when chaos is off)
   */
  public Gateway(SatelliteConfig config, NodeStatus status, BusRouter bus, Clock clock, EdgePolicies policies, Vertx vertx,
      MeterRegistry registry, ClientErrors errors, FaultRegistry faults) {
    this.config = config;
    this.faults = faults;
    this.registry = registry;
    this.status = status;
    this.bus = bus;
    this.clock = clock;
    this.policies = policies;
    this.errors = errors;
    this.upstreams = new Upstreams(vertx, config.routes(), config.edge().upstreamPoolSize());
    this.serverOptions = ListenerCertificates.apply(new HttpServerOptions()
        .setMaxHeaderSize(config.edge().maxHeaderSize())
        .setIdleTimeout((int) config.edge().idleTimeout().toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHttp2ClearTextEnabled(config.http().h2c()), config.http().tls());
    this.guard = new ConnectionGuard(config.edge().maxConnections(), config.edge().headerReadTimeout(), serverOptions,
        errors, registry, config.nodeId());
  }

  /** A listener instance for event loop {@code loopIndex} (which it reports its loop delay as). */
  public GatewayVerticle verticle(int loopIndex) {
    return new GatewayVerticle(this, loopIndex);
  }

  /** Open connections of the public listener. */
  public int connections() {
    return guard.open();
  }

  /** Closes the upstream clients; after the listener instances stopped. */
  public Future<Void> close() {
    return upstreams.close();
  }
}
