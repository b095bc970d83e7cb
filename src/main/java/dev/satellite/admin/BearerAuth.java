package dev.satellite.admin;

import dev.satellite.config.SatelliteConfig.AdminRole;
import dev.satellite.edge.BearerTokens;
import dev.satellite.http.Problem;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Guards {@code /admin/**}: with no token configured the admin API does not exist (404 for every path);
 * otherwise a request needs {@code Authorization: Bearer <token>} of one of the named admin tokens (or, without that
 * header, the cookie of a console session ({@link Sessions}), with its CSRF token on calls that change state), or gets
 * 401 — for existing and non-existing paths alike, so the API cannot be mapped without a token. The header is read
 * as routes' {@code auth} policies read it ({@link BearerTokens}) and compared with every known token in constant
 * time (the time depends on how many tokens there are, not on which one matched or how much of it). A {@code read}
 * token may only read (GET, HEAD, OPTIONS): anything else gets 403. Refusals are audited and slowed down per address
 * ({@link FailedAuth}: 429 with {@code Retry-After}). The name of the token that let a request in is
 * {@link #TOKEN_NAME} in the routing context, for the audit line.
 *
 * <p>Thread-safe: each token's digests are read whole from their source.
 */
final class BearerAuth implements Handler<RoutingContext> {

  /** The routing-context key of the name of the token that let the request in. */
  static final String TOKEN_NAME = "satellite.admin.token";
  /** The routing-context key of the console session that let the request in (none for a bearer token). */
  static final String SESSION = "satellite.admin.session";
  /**
   * The routing-context key of a {@link BooleanSupplier} saying whether what let the request in still would: the
   * session is live, or the token is still among those accepted (a long-lived stream asks it every second).
   */
  static final String STILL_VALID = "satellite.admin.stillValid";

  /** A token that matched: which credential, and the token's digest (to ask later whether it is still accepted). */
  record Match(Credential credential, byte[] digest) {
    boolean stillValid() {
      return BearerTokens.anyEquals(credential.digests().get(), digest);
    }
  }

  /** One named token: its role and the digests of the values in force (one, or those of its file). */
  record Credential(String name, AdminRole role, Supplier<List<byte[]>> digests) {
  }

  /** Where the console signs out ({@link Console}): open to every role. */
  static final String SIGN_OUT = "/admin/session";

  private final List<Credential> credentials;
  private final String nodeId;
  private final FailedAuth failures;
  private final Sessions sessions;

  BearerAuth(List<Credential> credentials, String nodeId, FailedAuth failures, Sessions sessions) {
    this.credentials = List.copyOf(credentials);
    this.nodeId = nodeId;
    this.failures = failures;
    this.sessions = sessions;
  }

  boolean enabled() {
    return !credentials.isEmpty();
  }

  /** Whether {@code method} only reads. */
  static boolean reads(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (credentials.isEmpty()) {
      Problem.of("not-found", "Not Found", 404, "The admin API is off: no admin token is configured (admin.token,"
          + " admin.tokenFile or admin.tokens).").send(ctx, nodeId);
      return;
    }
    String remote = Audit.remote(ctx);
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    Sessions.Session session = null;
    if (header == null) {
      Cookie cookie = ctx.request().getCookie(Sessions.COOKIE);
      session = sessions.find(cookie == null ? null : cookie.getValue());
    }
    // a live session (256 random bits, nothing to guess) is not slowed down: behind kubectl port-forward everyone
    // shares one address, and a guesser there must not lock out those signed in
    if (session == null && slowedDown(ctx, failures, remote, nodeId)) {
      return;
    }
    Match who = session != null ? null : match(header);
    if (session == null && who == null) {
      if (header != null) { // guessing; a request with no credentials (or a stale cookie) guesses nothing
        failures.refused(remote, "auth", "unauthorized");
      }
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"satellite-admin\"");
      Problem.of("unauthorized", "Unauthorized", 401, "The admin API needs the header Authorization: Bearer <token>"
          + " with an admin token, or the console's session cookie.").send(ctx, nodeId);
      return;
    }
    String name = session != null ? session.name() : who.credential().name();
    AdminRole role = session != null ? session.role() : who.credential().role();
    ctx.put(TOKEN_NAME, name);
    String sessionId = session != null ? session.id() : null;
    ctx.put(STILL_VALID, session != null ? (BooleanSupplier) () -> sessions.find(sessionId) != null
        : (BooleanSupplier) who::stillValid);
    boolean changes = !reads(ctx.request().method());
    if (session != null) {
      ctx.put(SESSION, session);
      if (changes && !session.csrfMatches(ctx.request().getHeader(Sessions.CSRF_HEADER))) {
        Problem.of("csrf", "Forbidden", 403, "A call that changes state with the console's session cookie needs the"
            + " session's CSRF token in the header " + Sessions.CSRF_HEADER + ".").send(ctx, nodeId);
        return;
      }
    }
    boolean signingOut = ctx.request().method() == HttpMethod.DELETE && SIGN_OUT.equals(ctx.request().path());
    if (changes && role != AdminRole.OPERATE && !signingOut) { // anyone signed in may sign out
      Problem.of("forbidden", "Forbidden", 403, "The admin token '" + name + "' has the role read: it may only read"
          + " (GET); changing state needs a token with the role operate.").send(ctx, nodeId);
      return;
    }
    ctx.next();
  }

  /** Answers 429 with {@code Retry-After} when {@code remote} is being slowed down for wrong tokens; true if it did. */
  static boolean slowedDown(RoutingContext ctx, FailedAuth failures, String remote, String nodeId) {
    Duration wait = failures.retryAfter(remote);
    if (wait.isZero()) {
      return false;
    }
    failures.refused(remote, "auth", "slowed-down");
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000)));
    Problem.of("too-many-failed-attempts", "Too Many Requests", 429, "Too many wrong admin tokens from this address:"
        + " wait before trying again.").send(ctx, nodeId);
    return true;
  }

  /** The credential {@code header} names, or null; every known token is compared, whichever matches. */
  Match match(String header) {
    String given = BearerTokens.credentials(header);
    return given == null || given.isEmpty() ? null : matchToken(given);
  }

  /** The credential whose token is {@code token}, or null; every known token is compared, whichever matches. */
  Match matchToken(String token) {
    byte[] digest = BearerTokens.digest(token);
    Credential found = null;
    for (Credential c : credentials) {
      if (BearerTokens.anyEquals(c.digests().get(), digest) && found == null) {
        found = c;
      }
    }
    return found == null ? null : new Match(found, digest);
  }
}
