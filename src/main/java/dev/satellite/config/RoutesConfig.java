package dev.satellite.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code edge:}, {@code defaults:} and {@code routes:} sections: each route's keys fall back to the
 * {@code defaults:} block, and everything is validated with one problem per bad key.
 *
 * <p>Thread-safe: stateless.
 */
final class RoutesConfig {

  private static final Set<String> ROUTE_KEYS = Set.of("path", "methods", "actor", "upstream", "respond", "timeout",
      "concurrency", "rateLimit", "breaker", "retry");
  private static final Set<String> DEFAULT_KEYS = Set.of("concurrency", "rateLimit", "breaker", "retry");
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  private RoutesConfig() {
  }

  static EdgeConfig edge(ConfigReader e) {
    e.onlyKeys(Set.of("maxInFlight", "maxLoopDelay", "maxBodySize", "maxHeaderSize", "idleTimeout", "requestReadTimeout",
        "trustedProxies", "rateLimitKeys", "upstreamPoolSize"));
    List<String> trusted = e.strings("trustedProxies");
    return new EdgeConfig(
        e.integer("maxInFlight", 10_000, 1, 10_000_000),
        e.duration("maxLoopDelay", Duration.ofMillis(500)),
        e.integer("maxBodySize", 1024 * 1024, 1, Integer.MAX_VALUE),
        e.integer("maxHeaderSize", 8192, 1024, 1024 * 1024),
        e.duration("idleTimeout", Duration.ofSeconds(30), Duration.ofSeconds(1)),
        e.duration("requestReadTimeout", Duration.ofSeconds(10), Duration.ofMillis(100)),
        trusted,
        e.integer("rateLimitKeys", 10_000, 1, 10_000_000),
        e.integer("upstreamPoolSize", 64, 1, 10_000));
  }

  static List<RouteSpec> routes(ConfigReader defaults, List<ConfigReader> routes, Duration defaultTimeout, boolean clustered) {
    defaults.onlyKeys(DEFAULT_KEYS);
    List<RouteSpec> out = new java.util.ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigReader route : routes) {
      route.onlyKeys(ROUTE_KEYS);
      String path = route.string("path", "").trim();
      if (!path.startsWith("/")) {
        route.problem("path", "must start with '/', got '" + path + "'");
        continue;
      }
      if (path.startsWith("/health/")) {
        route.problem("path", "/health/* is reserved for the probes");
        continue;
      }
      boolean hasActor = route.has("actor");
      boolean hasUpstream = route.has("upstream");
      boolean hasRespond = route.has("respond");
      if ((hasActor ? 1 : 0) + (hasUpstream ? 1 : 0) + (hasRespond ? 1 : 0) != 1) {
        route.problem("actor", "give exactly one of 'actor' (an actor address) or 'upstream' (a base URL)"
            + " (or 'respond', a fixed text)");
        continue;
      }
      Optional<String> upstream = Optional.empty();
      if (hasUpstream) {
        String url = route.string("upstream", "");
        if (!validUpstream(url)) {
          route.problem("upstream", "must be an http:// URL with a host, got '" + url + "'");
          continue;
        }
        upstream = Optional.of(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      }
      Set<String> methods = new LinkedHashSet<>();
      for (String m : route.strings("methods")) {
        String upper = m.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
          route.problem("methods", "unknown method '" + m + "' (known: " + String.join(", ", new java.util.TreeSet<>(METHODS)) + ")");
        }
        methods.add(upper);
      }
      String name = path + (methods.isEmpty() ? "" : " " + String.join(",", methods));
      if (!seen.add(name)) {
        route.problem("path", "duplicate route " + name);
      }
      RouteSpec.RateLimit rateLimit = rateLimit(route, defaults, clustered);
      out.add(new RouteSpec(path, path, methods,
          hasActor ? Optional.of(route.string("actor", "")) : Optional.empty(), upstream,
          hasRespond ? Optional.of(route.string("respond", "")) : Optional.empty(),
          route.duration("timeout", defaultTimeout, Duration.ofMillis(1)),
          route.integer("concurrency", defaults.integer("concurrency", 512, 1, 10_000_000), 1, 10_000_000),
          rateLimit, breaker(route, defaults), retry(route, defaults)));
    }
    return out;
  }

  /**
   * The policies of actor-to-actor calls: the {@code defaults:} block (bulkhead, breaker, retry; no rate limit)
   * applied to a call whose deadline comes with its message.
   */
  static RouteSpec actorCalls(ConfigReader defaults, Duration timeout) {
    return new RouteSpec("actor", "actor", Set.of(), Optional.of("*"), Optional.empty(), Optional.empty(), timeout,
        defaults.integer("concurrency", 512, 1, 10_000_000), new RouteSpec.RateLimit(0, 0, "node", "none"),
        breaker(defaults, defaults), retry(defaults, defaults));
  }

  private static boolean validUpstream(String url) {
    try {
      URI uri = URI.create(url);
      return "http".equals(uri.getScheme()) && uri.getHost() != null && uri.getQuery() == null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static RouteSpec.RateLimit rateLimit(ConfigReader route, ConfigReader defaults, boolean clustered) {
    ConfigReader r = route.section("rateLimit");
    ConfigReader d = defaults.section("rateLimit");
    r.onlyKeys(Set.of("rps", "burst", "scope", "key"));
    d.onlyKeys(Set.of("rps", "burst", "scope", "key"));
    long rps = r.integer("rps", d.integer("rps", 0, 0, Integer.MAX_VALUE), 0, Integer.MAX_VALUE);
    long burst = r.integer("burst", d.integer("burst", 0, 0, Integer.MAX_VALUE), 0, Integer.MAX_VALUE);
    String scope = r.oneOf("scope", d.oneOf("scope", "node", List.of("node", "cluster")), List.of("node", "cluster"));
    String key = r.string("key", d.string("key", "none")).trim();
    if (!key.equals("none") && !key.equals("ip") && !(key.startsWith("header:") && key.length() > "header:".length())) {
      r.problem("key", "must be none, ip or header:<Name>, got '" + key + "'");
    }
    if (scope.equals("cluster") && rps > 0 && !clustered) {
      r.problem("scope", "'cluster' needs a clustered node (cluster.enabled: true or run --cluster)");
    }
    return new RouteSpec.RateLimit(rps, burst == 0 ? rps : burst, scope, key);
  }

  private static RouteSpec.Breaker breaker(ConfigReader route, ConfigReader defaults) {
    ConfigReader r = route.section("breaker");
    ConfigReader d = defaults.section("breaker");
    r.onlyKeys(Set.of("maxFailures", "window", "resetTimeout"));
    d.onlyKeys(Set.of("maxFailures", "window", "resetTimeout"));
    return new RouteSpec.Breaker(
        r.integer("maxFailures", d.integer("maxFailures", 5, 0, 1_000_000), 0, 1_000_000),
        r.duration("window", d.duration("window", Duration.ofSeconds(10), Duration.ofMillis(100)), Duration.ofMillis(100)),
        r.duration("resetTimeout", d.duration("resetTimeout", Duration.ofSeconds(5), Duration.ofMillis(10)), Duration.ofMillis(10)));
  }

  private static RouteSpec.Retry retry(ConfigReader route, ConfigReader defaults) {
    ConfigReader r = route.section("retry");
    ConfigReader d = defaults.section("retry");
    r.onlyKeys(Set.of("attempts", "budget", "minPerSecond"));
    d.onlyKeys(Set.of("attempts", "budget", "minPerSecond"));
    return new RouteSpec.Retry(
        r.integer("attempts", d.integer("attempts", 2, 1, 10), 1, 10),
        r.decimal("budget", d.decimal("budget", 0.2, 0, 10), 0, 10),
        r.integer("minPerSecond", d.integer("minPerSecond", 10, 0, 1_000_000), 0, 1_000_000));
  }
}
