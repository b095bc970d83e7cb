package dev.satellite.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One public route: which requests it takes, where they go (an actor address or an upstream base URL), and
 * the edge policies that guard it. Keys a route leaves out come from the {@code defaults:} block. Immutable.
 *
 * @param name        a label for metrics and the admin API (the path)
 * @param path        vertx-web path syntax ({@code /hello}, {@code /api/*})
 * @param methods     allowed methods; empty = any
 * @param actor       the actor address, when the route leads to an actor
 * @param upstream    the upstream base URL, when the route is a reverse proxy
 * @param respond     a fixed text the route answers itself (no bus, no upstream), e.g. to measure the cost of
 *                    the edge stack alone
 * @param timeout     deadline of the whole request, propagated to the actor or upstream
 * @param concurrency bulkhead: most requests in flight on this route on this node
 * @param rateLimit   token bucket; {@code rps} 0 = off
 * @param breaker     circuit breaker on the route's target; {@code maxFailures} 0 = off
 * @param retry       retries of idempotent requests, capped by a budget; {@code attempts} 1 = no retry
 * @param auth        bearer tokens a request must carry; {@link Auth#OFF} = anyone may call the route
 * @param stream      the stream service, when the route opens a subscription (SSE or WebSocket) instead of asking
 *                    for one answer: it passes the policies when it connects, then leaves per-request accounting
 */
public record RouteSpec(
    String name,
    String path,
    Set<String> methods,
    Optional<String> actor,
    Optional<String> upstream,
    Optional<String> respond,
    Duration timeout,
    int concurrency,
    RateLimit rateLimit,
    Breaker breaker,
    Retry retry,
    Auth auth,
    Optional<String> stream) {

  public RouteSpec {
    methods = Set.copyOf(methods);
  }

  /** A route anyone may call (no {@code auth}) that answers each request (no {@code stream}). */
  public RouteSpec(String name, String path, Set<String> methods, Optional<String> actor, Optional<String> upstream,
      Optional<String> respond, Duration timeout, int concurrency, RateLimit rateLimit, Breaker breaker, Retry retry) {
    this(name, path, methods, actor, upstream, respond, timeout, concurrency, rateLimit, breaker, retry, Auth.OFF,
        Optional.empty());
  }

  /** {@code scope}: node (this node's bucket) or cluster (one bucket shared by all nodes). */
  public record RateLimit(long rps, long burst, String scope, String key) {

    public boolean enabled() {
      return rps > 0;
    }

    public boolean clusterWide() {
      return "cluster".equals(scope);
    }
  }

  /**
   * Opens after {@code maxFailures} failures within {@code window}; lets one probe through after
   * {@code resetTimeout}, twice as long each time it opens again in a row, up to {@code maxResetTimeout}.
   */
  public record Breaker(int maxFailures, Duration window, Duration resetTimeout, Duration maxResetTimeout) {

    public boolean enabled() {
      return maxFailures > 0;
    }
  }

  /**
   * At most {@code attempts} tries in all; retries may add at most {@code budget} × requests (over the last
   * 10 s) plus {@code minPerSecond} per second.
   */
  public record Retry(int attempts, double budget, int minPerSecond) {
  }

  /**
   * Bearer tokens a request needs ({@code Authorization: Bearer <token>}): those listed in {@code tokens} and those
   * in {@code tokenFile} (one per line, {@code #} comments), which the node re-reads when it changes.
   * {@code fileTokens} are the file's tokens as read when the config was built, so a node starts with them without
   * reading the file again. Off when neither tokens nor a file are given. {@link #toString()} names no token.
   */
  public record Auth(List<String> tokens, Optional<Path> tokenFile, List<String> fileTokens) {

    public static final Auth OFF = new Auth(List.of(), Optional.empty(), List.of());

    public Auth {
      tokens = List.copyOf(tokens);
      fileTokens = List.copyOf(fileTokens);
    }

    public boolean enabled() {
      return !tokens.isEmpty() || tokenFile.isPresent();
    }

    @Override
    public String toString() {
      return "Auth[tokens=" + tokens.size() + " inline, tokenFile=" + tokenFile.map(Path::toString).orElse("none") + "]";
    }
  }
}
