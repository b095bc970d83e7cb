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
 *
 * <p>Thread-safe: the file's tokens are replaced whole.
 */
final class BearerAuth implements Handler<RoutingContext> {

  /** The digest of admin.token, or none when the admin API is off or its tokens come from a file. */
  private final List<byte[]> expected;
  private final TokenFile file;
  private final boolean enabled;
  private final String nodeId;

  BearerAuth(String token, TokenFile file, String nodeId) {
    this.expected = token.isEmpty() ? List.of() : List.of(BearerTokens.digest(token));
    this.file = file;
    this.enabled = !token.isEmpty() || file != null;
    this.nodeId = nodeId;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!enabled) {
      Problem.of("not-found", "Not Found", 404, "The admin API is off: no admin.token or admin.tokenFile is configured.")
          .send(ctx, nodeId);
      return;
    }
    if (matches(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      ctx.next();
      return;
    }
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
