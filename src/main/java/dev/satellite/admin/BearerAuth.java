package dev.satellite.admin;

import dev.satellite.http.Problem;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards {@code /admin/**}: with no token configured the admin API does not exist (404 for every path);
 * otherwise a request needs {@code Authorization: Bearer <token>}, compared in constant time, or gets
 * 401 — for existing and non-existing paths alike, so the API cannot be mapped without the token.
 *
 * <p>Thread-safe: immutable.
 */
final class BearerAuth implements Handler<RoutingContext> {

  private static final String PREFIX = "Bearer ";

  private final byte[] expected;
  private final String nodeId;

  BearerAuth(String token, String nodeId) {
    this.expected = token.getBytes(StandardCharsets.UTF_8);
    this.nodeId = nodeId;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expected.length == 0) {
      Problem.of("not-found", "Not Found", 404, "The admin API is off: no admin.token is configured.").send(ctx, nodeId);
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
    if (header == null || header.length() < PREFIX.length()
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    byte[] given = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }
}
