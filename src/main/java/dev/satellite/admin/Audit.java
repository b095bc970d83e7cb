package dev.satellite.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of the admin API: one JSON line on the logger {@code satellite.audit} for every call that changes
 * state (any method but GET, HEAD and OPTIONS under {@code /admin}, once it is answered) with {@code time},
 * {@code action} (method and path), {@code target} (the path), {@code result} (the status), {@code remote} (the
 * peer's address) and {@code token} (the name of the token used, never the token), a 403 for a {@code read} token
 * included. Refused authentication is recorded by {@link FailedAuth}, aggregated.
 *
 * <p>Thread-safe: stateless but for the clock.
 */
final class Audit implements Handler<RoutingContext> {

  static final Logger LOG = LoggerFactory.getLogger("satellite.audit");
  /** The routing-context key of an action's name where "METHOD path" would not say it ({@code sign-in}). */
  static final String ACTION = "satellite.admin.action";
  private final Clock clock;

  Audit(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (!BearerAuth.reads(method)) {
      String path = ctx.request().path();
      String remote = remote(ctx);
      ctx.addEndHandler(ended -> {
        String token = ctx.get(BearerAuth.TOKEN_NAME);
        if (token != null) { // refused tokens are FailedAuth's, aggregated
          String action = ctx.get(ACTION);
          write(clock, action != null ? action : method + " " + path, path,
              String.valueOf(ctx.response().getStatusCode()), remote, token, null);
        }
      });
    }
    ctx.next();
  }

  static String remote(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }

  /** One audit line; {@code count} (may be null) is how many times it happened since the address's last line. */
  static void write(Clock clock, String action, String target, String result, String remote, String token,
      Long count) {
    JsonObject line = new JsonObject().put("time", clock.instant().toString()).put("action", action)
        .put("target", target).put("result", result).put("remote", remote).put("token", token);
    if (count != null) {
      line.put("count", count);
    }
    LOG.info(line.encode());
  }
}
