package dev.satellite.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code edge:}, {@code defaults:} and {@code routes:} sections. The {@code defaults:} block is read once,
 * into the policies every route starts from (its problems are reported under {@code defaults.*}); each route then
 * reads only the keys it sets itself, on top of them (its problems are reported under {@code routes[i].*}).
 *
 * <p>Thread-safe: stateless.
 */
final class RoutesConfig {

  private static final Set<String> ROUTE_KEYS = Set.of("path", "methods", "actor", "upstream", "respond", "timeout",
      "concurrency", "rateLimit", "breaker", "retry", "auth", "stream");
  private static final Set<String> STREAMS = Set.of(SatelliteConfig.Push.SERVICE);
  private static final Set<String> POLICY_KEYS = Set.of("concurrency", "rateLimit", "breaker", "retry", "auth");
  private static final Set<String> AUTH_KEYS = Set.of("tokens", "tokenFile");
  private static final Pattern COMMA = Pattern.compile(",");
  private static final Set<String> RATE_LIMIT_KEYS = Set.of("rps", "burst", "scope", "key");
  private static final Set<String> BREAKER_KEYS = Set.of("maxFailures", "window", "resetTimeout", "maxResetTimeout");
  private static final Set<String> RETRY_KEYS = Set.of("attempts", "budget", "minPerSecond");
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
  private static final List<String> SCOPES = List.of("node", "cluster");

  /** The policies of a route before its own keys: what {@code defaults:} says when it says nothing. */
  private static final Policies BUILT_IN = new Policies(512, new RouteSpec.RateLimit(0, 0, "node", "none"),
      new RouteSpec.Breaker(5, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(60)),
      new RouteSpec.Retry(2, 0.2, 10), RouteSpec.Auth.OFF);

  private RoutesConfig() {
  }

  /** The policy part of a route (or of the defaults). */
  record Policies(int concurrency, RouteSpec.RateLimit rateLimit, RouteSpec.Breaker breaker, RouteSpec.Retry retry,
      RouteSpec.Auth auth) {
  }

  static EdgeConfig edge(ConfigReader e) {
    e.onlyKeys(Set.of("maxInFlight", "maxLoopDelay", "maxBodySize", "maxHeaderSize", "idleTimeout", "requestReadTimeout",
        "headerReadTimeout", "maxConnections", "trustedProxies", "rateLimitKeys", "upstreamPoolSize"));
    List<String> trusted = e.strings("trustedProxies");
    return new EdgeConfig(
        e.integer("maxInFlight", 10_000, 1, 10_000_000),
        e.duration("maxLoopDelay", Duration.ofMillis(500)),
        e.integer("maxBodySize", 1024 * 1024, 1, Integer.MAX_VALUE),
        e.integer("maxHeaderSize", 8192, 1024, 1024 * 1024),
        e.duration("idleTimeout", Duration.ofSeconds(30), Duration.ofSeconds(1)),
        e.duration("requestReadTimeout", Duration.ofSeconds(10), Duration.ofMillis(100)),
        e.duration("headerReadTimeout", Duration.ofSeconds(10), Duration.ofMillis(100)),
        e.integer("maxConnections", 12_000, 1, 10_000_000),
        trusted,
        e.integer("rateLimitKeys", 10_000, 1, 10_000_000),
        e.integer("upstreamPoolSize", 64, 1, 10_000));
  }

  /** The {@code defaults:} block, read once. */
  static Policies defaults(ConfigReader defaults, boolean clustered, Path workDir) {
    defaults.onlyKeys(POLICY_KEYS);
    return policies(defaults, BUILT_IN, clustered, workDir);
  }

  static List<RouteSpec> routes(Policies defaults, List<ConfigReader> routes, Duration defaultTimeout, boolean clustered,
      Path workDir) {
    List<RouteSpec> out = new java.util.ArrayList<>();
    Set<String> seen = new HashSet<>();
    // a path served by several routes (by method) names each route by its path and methods, else by its path alone
    java.util.Map<String, Integer> pathUses = new java.util.HashMap<>();
    routes.forEach(route -> pathUses.merge(route.string("path", "").trim(), 1, Integer::sum));
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
      boolean hasStream = route.has("stream");
      if ((hasActor ? 1 : 0) + (hasUpstream ? 1 : 0) + (hasRespond ? 1 : 0) + (hasStream ? 1 : 0) != 1) {
        route.problem("actor", "give exactly one of 'actor' (an actor address) or 'upstream' (a base URL)"
            + " (or 'respond', a fixed text, or 'stream', a subscription service)");
        continue;
      }
      String stream = hasStream ? route.string("stream", "").trim() : "";
      if (hasStream && !STREAMS.contains(stream)) {
        route.problem("stream", "unknown stream service '" + stream + "' (known: " + String.join(", ", STREAMS) + ")");
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
      Policies p = policies(route, defaults, clustered, workDir);
      out.add(new RouteSpec(pathUses.get(path) > 1 ? name : path, path, methods,
          hasActor ? Optional.of(route.string("actor", "")) : Optional.empty(), upstream,
          hasRespond ? Optional.of(route.string("respond", "")) : Optional.empty(),
          route.duration("timeout", defaultTimeout, Duration.ofMillis(1)), p.concurrency(), resolved(p.rateLimit()), p.breaker(),
          p.retry(), p.auth(), hasStream ? Optional.of(stream) : Optional.empty()));
    }
    return out;
  }

  /**
   * The policies of actor-to-actor calls: the {@code defaults:} block (bulkhead, breaker, retry; no rate limit)
   * applied to a call whose deadline comes with its message.
   */
  static RouteSpec actorCalls(Policies defaults, Duration timeout) {
    return new RouteSpec("actor", "actor", Set.of(), Optional.of("*"), Optional.empty(), Optional.empty(), timeout,
        defaults.concurrency(), new RouteSpec.RateLimit(0, 0, "node", "none"), defaults.breaker(), defaults.retry());
  }

  /** Reads the policy keys {@code r} sets itself; every key it leaves out comes from {@code base}. */
  private static Policies policies(ConfigReader r, Policies base, boolean clustered, Path workDir) {
    return new Policies(r.integer("concurrency", base.concurrency(), 1, 10_000_000),
        rateLimit(r.section("rateLimit"), base.rateLimit(), clustered), breaker(r.section("breaker"), base.breaker()),
        retry(r.section("retry"), base.retry()), auth(r.section("auth"), base.auth(), workDir));
  }

  /**
   * {@code auth}: {@code tokens} and {@code tokenFile} each replace the base's when given (an empty list or an empty
   * path turns that part off). The file is read here, so a missing, unreadable or tokenless file is a config problem
   * at start (and in {@code check-config}); problems name the key, the index or the line, never a token.
   */
  private static RouteSpec.Auth auth(ConfigReader r, RouteSpec.Auth base, Path workDir) {
    r.onlyKeys(AUTH_KEYS);
    List<String> tokens = base.tokens();
    if (r.has("tokens")) {
      tokens = new java.util.ArrayList<>();
      int i = 0;
      for (String item : r.strings("tokens")) {
        for (String part : COMMA.split(item, -1)) { // a list may come as one comma-separated value (environment)
          String token = part.trim();
          if (!TokenFiles.valid(token)) {
            r.problem("tokens", "entry " + i + " is not a bearer token (letters, digits and -._~+/, then any '=')");
          } else {
            tokens.add(token);
          }
          i++;
        }
      }
    }
    Optional<Path> file = base.tokenFile();
    List<String> fileTokens = base.fileTokens();
    if (r.has("tokenFile")) {
      String text = r.string("tokenFile", "").trim();
      file = text.isEmpty() ? Optional.empty() : Optional.of(workDir.resolve(text).normalize());
      fileTokens = file.isEmpty() ? List.of() : fileTokens(r, file.get(), tokens.isEmpty());
    }
    return new RouteSpec.Auth(tokens, file, fileTokens);
  }

  /** The tokens of {@code file} (problems on {@code r}'s key {@code tokenFile}); {@code only}: it must hold one. */
  static List<String> fileTokens(ConfigReader r, Path file, boolean only) {
    String content;
    try {
      if (!Files.isRegularFile(file)) {
        r.problem("tokenFile", "no such file: " + file);
        return List.of();
      }
      if (Files.size(file) > TokenFiles.MAX_BYTES) {
        r.problem("tokenFile", "larger than " + TokenFiles.MAX_BYTES + " bytes: " + file);
        return List.of();
      }
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      r.problem("tokenFile", "cannot be read: " + file + " (" + e.getClass().getSimpleName() + ")");
      return List.of();
    }
    TokenFiles.Parsed parsed = TokenFiles.parse(content);
    if (!parsed.badLines().isEmpty()) {
      r.problem("tokenFile", "lines " + parsed.badLines() + " of " + file
          + " are not bearer tokens (letters, digits and -._~+/, then any '='; # starts a comment)");
    } else if (parsed.tokens().isEmpty() && only) {
      r.problem("tokenFile", file + " holds no token (one per line, # comments) and auth.tokens is empty");
    }
    return parsed.tokens();
  }

  private static boolean validUpstream(String url) {
    try {
      URI uri = URI.create(url);
      return "http".equals(uri.getScheme()) && uri.getHost() != null && uri.getQuery() == null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A rate limit as written: a {@code burst} of 0 means "as much as rps" and is resolved by {@link #resolved}. */
  private static RouteSpec.RateLimit rateLimit(ConfigReader r, RouteSpec.RateLimit base, boolean clustered) {
    r.onlyKeys(RATE_LIMIT_KEYS);
    long rps = r.integer("rps", (int) base.rps(), 0, Integer.MAX_VALUE);
    long burst = r.integer("burst", (int) base.burst(), 0, Integer.MAX_VALUE);
    String scope = r.oneOf("scope", base.scope(), SCOPES);
    String key = r.string("key", base.key()).trim();
    if (r.has("key") && !key.equals("none") && !key.equals("ip")
        && !(key.startsWith("header:") && key.length() > "header:".length())) {
      r.problem("key", "must be none, ip or header:<Name>, got '" + key + "'");
      key = base.key();
    }
    if (scope.equals("cluster") && !clustered && rps > 0 && (r.has("scope") || r.has("rps"))) {
      r.problem("scope", "'cluster'" + (r.has("scope") ? "" : " (from defaults.rateLimit.scope)")
          + " needs a clustered node (cluster.enabled: true or run --cluster)");
    }
    return new RouteSpec.RateLimit(rps, burst, scope, key);
  }

  private static RouteSpec.RateLimit resolved(RouteSpec.RateLimit r) {
    return r.burst() == 0 ? new RouteSpec.RateLimit(r.rps(), r.rps(), r.scope(), r.key()) : r;
  }

  private static RouteSpec.Breaker breaker(ConfigReader r, RouteSpec.Breaker base) {
    r.onlyKeys(BREAKER_KEYS);
    Duration reset = r.duration("resetTimeout", base.resetTimeout(), Duration.ofMillis(10));
    Duration maxReset = r.duration("maxResetTimeout", base.maxResetTimeout(), Duration.ofMillis(10));
    if (maxReset.compareTo(reset) < 0) {
      if (r.has("maxResetTimeout")) {
        r.problem("maxResetTimeout", "must be at least breaker.resetTimeout (" + Durations.format(reset) + ")");
      }
      maxReset = reset;
    }
    return new RouteSpec.Breaker(
        r.integer("maxFailures", base.maxFailures(), 0, 1_000_000),
        r.duration("window", base.window(), Duration.ofMillis(100)),
        reset, maxReset);
  }

  private static RouteSpec.Retry retry(ConfigReader r, RouteSpec.Retry base) {
    r.onlyKeys(RETRY_KEYS);
    return new RouteSpec.Retry(
        r.integer("attempts", base.attempts(), 1, 10),
        r.decimal("budget", base.budget(), 0, 10),
        r.integer("minPerSecond", base.minPerSecond(), 0, 1_000_000));
  }
}
