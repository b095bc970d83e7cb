package dev.satellite.edge;

import com.hazelcast.core.HazelcastInstance;
import dev.satellite.config.EdgeConfig;
import dev.satellite.config.RouteSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Every route's policies and the node-wide load shedder, built once per node and shared by all listener
 * instances.
 *
 * <p>Thread-safe.
 */
public final class EdgePolicies {

  private final EdgeConfig edge;
  private final LoadShedder shedder;
  private final Map<String, RoutePolicy> routes = new LinkedHashMap<>();
  /** Every route's auth policy, for telling a token of another route (403) from an unknown one (401). */
  private final AtomicReference<List<RouteAuth>> auths = new AtomicReference<>(List.of());

  /**
   * @param hazelcast the cluster member for {@code scope: cluster} rate limits; null on a standalone node
   * @param home      a context the node owns, where the breakers' timers and probes run
   * @param loops     how many event loops report their delay to the shedder
   */
  public EdgePolicies(EdgeConfig edge, List<RouteSpec> specs, Vertx vertx, Context home, HazelcastInstance hazelcast,
      MeterRegistry registry, LongSupplier nanos, int loops) {
    this.edge = edge;
    this.shedder = new LoadShedder(edge.maxInFlight(), edge.maxLoopDelay(), loops);
    Map<Path, TokenFile> files = new HashMap<>();
    List<RouteAuth> allAuths = new ArrayList<>();
    for (RouteSpec spec : specs) {
      RouteAuth auth = null;
      if (spec.auth().enabled()) {
        TokenFile file = spec.auth().tokenFile().map(p -> files.computeIfAbsent(p, path -> {
          TokenFile f = new TokenFile(path, spec.auth().fileTokens(), vertx, registry);
          f.watch(home);
          return f;
        })).orElse(null);
        auth = new RouteAuth(spec.auth(), file, digest -> auths.get().stream().anyMatch(a -> a.accepts(digest)));
        allAuths.add(auth);
      }
      RateLimiter limiter = null;
      if (spec.rateLimit().enabled()) {
        limiter = spec.rateLimit().clusterWide()
            ? new ClusterRateLimiter(spec.name(), spec.rateLimit(), hazelcast, edge.rateLimitKeys())
            : new LocalRateLimiter(spec.rateLimit(), edge.rateLimitKeys(), nanos);
      }
      routes.put(spec.name(), new RoutePolicy(spec, limiter, auth, vertx, home, registry, nanos));
    }
    auths.set(List.copyOf(allAuths));
  }

  public EdgeConfig edge() {
    return edge;
  }

  public LoadShedder shedder() {
    return shedder;
  }

  public RoutePolicy route(String name) {
    return routes.get(name);
  }

  public Iterable<RoutePolicy> routes() {
    return routes.values();
  }

  /** The state of every policy, for {@code /admin/edges}; {@code actorCalls} may be null. */
  public JsonObject toJson(EdgeBus actorCalls) {
    JsonArray list = new JsonArray();
    routes.values().forEach(r -> list.add(r.toJson()));
    if (actorCalls != null) {
      actorCalls.policies().forEach(r -> list.add(r.toJson()));
    }
    return new JsonObject()
        .put("shedding", new JsonObject().put("shedding", shedder.shedding()).put("inFlight", shedder.inFlight())
            .put("maxInFlight", edge.maxInFlight()).put("maxLoopDelayMs", shedder.maxLoopDelayMs())
            .put("loopDelayLimitMs", edge.maxLoopDelay().toMillis()).put("shed", shedder.shedCount()))
        .put("routes", list);
  }
}
