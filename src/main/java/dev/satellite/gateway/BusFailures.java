package dev.satellite.gateway;

import dev.satellite.http.Problem;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Maps a failed event-bus request to the HTTP answer a client can act on: nobody listening or the
 * actor failed → 503 with {@code Retry-After} (try again shortly, maybe on another node); no reply in
 * time → 504.
 *
 * <p>Thread-safe: stateless.
 */
final class BusFailures {

  /** Seconds a client should wait before retrying a 503 caused by an actor being unavailable. */
  static final String RETRY_AFTER_SECONDS = "1";

  private BusFailures() {
  }

  static void respond(RoutingContext ctx, String nodeId, String address, Throwable cause) {
    Problem problem = problemFor(address, cause);
    if (problem.status() == 503) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    problem.send(ctx, nodeId);
  }

  static Problem problemFor(String address, Throwable cause) {
    if (cause instanceof ReplyException re) {
      switch (re.failureType()) {
        case NO_HANDLERS:
          return Problem.of("actor-unavailable", "Service Unavailable", 503,
              "No instance of actor '" + address + "' is available.");
        case TIMEOUT:
          return Problem.of("deadline-exceeded", "Gateway Timeout", 504,
              "Actor '" + address + "' did not answer before the request deadline.");
        case RECIPIENT_FAILURE:
        default:
          return Problem.of("actor-failed", "Service Unavailable", 503,
              "Actor '" + address + "' failed to handle the request: " + re.getMessage());
      }
    }
    return Problem.of("actor-failed", "Service Unavailable", 503,
        "Actor '" + address + "' could not be reached: " + cause.getMessage());
  }
}
