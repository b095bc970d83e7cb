package dev.satellite.gateway;

import dev.satellite.config.RouteSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's upstreams: one {@link UpstreamTarget} — one HTTP client with one pool of {@code edge.upstreamPoolSize}
 * kept-alive connections — per upstream route, shared by every listener instance, so an upstream sees at most that
 * many connections from this node however many event loops it has.
 *
 * <p>Thread-safe.
 */
public final class Upstreams {

  private final Map<String, UpstreamTarget> byRoute = new ConcurrentHashMap<>();

  public Upstreams(Vertx vertx, List<RouteSpec> routes, int poolSize) {
    for (RouteSpec spec : routes) {
      spec.upstream().ifPresent(url -> byRoute.put(spec.name(), new UpstreamTarget(vertx, url, poolSize,
          spec.auth().enabled())));
    }
  }

  /** The upstream of a route, or null when the route has none. */
  UpstreamTarget of(RouteSpec spec) {
    return byRoute.get(spec.name());
  }

  /** Closes every client (after the listeners stopped). */
  public Future<Void> close() {
    return Future.join(byRoute.values().stream().map(UpstreamTarget::close).toList()).mapEmpty();
  }
}
