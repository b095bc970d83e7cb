package dev.satellite.admin;

import dev.satellite.edge.BearerTokens;
import dev.satellite.edge.TokenFile;
import dev.satellite.http.Problem;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Guards {@code /admin/**}: with no token configured the admin API does not exist (404 for every path);
 * otherwise a request needs {@code Authorization: Bearer <token>}, compared in constant time, or gets
 * 401 — for existing and non-existing paths alike, so the API cannot be mapped without the token. The header is
 * read and compared as routes' {@code auth} policies do it ({@link BearerTokens}). The token is {@code admin.token},
 * or any of the tokens of {@code admin.tokenFile} in force at the time ({@link TokenFile}: re-read when it changes).
 * Refusals are audited and slowed down per address ({@link FailedAuth}: 429 with {@code Retry-After}).
 *
 * <p>Thread-safe: the file's tokens are replaced whole.
 */
final class BearerAuth implements Handler<RoutingContext> {

  /** The digest of admin.token, or none when the admin API is off or its tokens come from a file. */
  private final List<byte[]> expected;
  private final TokenFile file;
  private final boolean enabled;
  private final String nodeId;
  private final FailedAuth failures;

  BearerAuth(String token, TokenFile file, String nodeId, FailedAuth failures) {
    this.expected = token.isEmpty() ? List.of() : List.of(BearerTokens.digest(token));
    this.file = file;
    this.enabled = !token.isEmpty() || file != null;
    this.nodeId = nodeId;
    this.failures = failures;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!enabled) {
      Problem.of("not-found", "Not Found", 404, "The admin API is off: no admin.token or admin.tokenFile is configured.")
          .send(ctx, nodeId);
      return;
    }
    String remote = Audit.remote(ctx);
    java.time.Duration wait = failures.retryAfter(remote);
    if (!wait.isZero()) {
      failures.refused(remote, "auth", "slowed-down");
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000)));
      Problem.of("too-many-failed-attempts", "Too Many Requests", 429, "Too many requests with a wrong admin token"
          + " from this address: wait before trying again.").send(ctx, nodeId);
      return;
    }
    if (matches(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      ctx.next();
      return;
    }
    failures.refused(remote, "auth", "unauthorized");
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"satellite-admin\"");
    Problem.of("unauthorized", "Unauthorized", 401,
        "The admin API needs the header Authorization: Bearer <admin.token>.").send(ctx, nodeId);
  }

  boolean matches(String header) {
    String credentials = BearerTokens.credentials(header);
    return credentials != null && !credentials.isEmpty()
        && BearerTokens.anyEquals(file == null ? expected : file.digests(), BearerTokens.digest(credentials));
  }
}
