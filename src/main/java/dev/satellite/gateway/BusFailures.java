package dev.satellite.gateway;

import dev.satellite.actor.ActorFailures;
import dev.satellite.http.Problem;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Clock;

/**
 * Maps a failed event-bus request to the HTTP answer a client can act on: nobody listening, a crashed,
 * replaced or stopping recipient, a lost node, or a full mailbox → 503 (the route adds {@code Retry-After}: try again
 * shortly, maybe on another node); no reply in time or a passed deadline → 504; an actor's own 4xx/5xx answer
 * as it is.
 *
 * <p>Thread-safe: stateless.
 */
final class BusFailures {

  /** A bus timeout this long before the deadline was not the deadline. */
  static final long EARLY_TIMEOUT_MS = 50;

  private BusFailures() {
  }

  /**
   * @param deadline the request's deadline (milliseconds on the node's clock): a bus "timeout" that arrives well before it is not
   *                 one — Vert.x reports messages discarded by a consumer that was just unregistered (a
   *                 crashed instance) as timeouts — and is answered as unavailable (503), not 504
   */
  static Problem problemFor(String address, Throwable cause, long deadline, Clock clock) {
    return cause instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT
        && clock.millis() < deadline - EARLY_TIMEOUT_MS
        ? Problem.of("actor-unavailable", "Service Unavailable", 503,
            "The instance of actor '" + address + "' that took the request went away before answering.")
        : problemFor(address, cause);
  }

  static Problem problemFor(String address, Throwable cause) {
    if (!(cause instanceof ReplyException re)) {
      return Problem.of("actor-unreachable", "Service Unavailable", 503,
          "Actor '" + address + "' could not be reached: " + cause.getMessage());
    }
    return switch (re.failureType()) {
      case NO_HANDLERS -> Problem.of("actor-unavailable", "Service Unavailable", 503,
          "No instance of actor '" + address + "' is available.");
      case TIMEOUT -> Problem.of("deadline-exceeded", "Gateway Timeout", 504,
          "Actor '" + address + "' did not answer before the request deadline.");
      case RECIPIENT_FAILURE -> recipientFailure(address, re);
      default -> Problem.of("actor-unreachable", "Service Unavailable", 503,
          "Actor '" + address + "' could not be reached: " + re.getMessage());
    };
  }

  private static Problem recipientFailure(String address, ReplyException re) {
    int code = re.failureCode();
    return switch (code) {
      case ActorFailures.CRASHED -> Problem.of("actor-crashed", "Service Unavailable", 503,
          "Actor '" + address + "' crashed while handling the request; a fresh instance is being started.");
      case ActorFailures.GONE -> Problem.of("actor-restarting", "Service Unavailable", 503,
          "The instance of actor '" + address + "' that the request reached had just crashed or stopped; it was not"
              + " worked on, and a fresh instance is being started.");
      case ActorFailures.UNRESPONSIVE -> Problem.of("actor-unresponsive", "Service Unavailable", 503,
          "Actor '" + address + "' stopped answering and was replaced.");
      case ActorFailures.STOPPING -> Problem.of("actor-stopping", "Service Unavailable", 503,
          "Actor '" + address + "' is stopping.");
      case ActorFailures.NODE_LOST -> Problem.of("node-lost", "Service Unavailable", 503,
          "The node that had the request for actor '" + address + "' died or stopped answering before it replied; the"
              + " request may or may not have been carried out.");
      case ActorFailures.MAILBOX_FULL -> Problem.of("mailbox-full", "Service Unavailable", 503,
          "Actor '" + address + "' is at its mailbox limit.");
      case ActorFailures.DEADLINE -> Problem.of("deadline-exceeded", "Gateway Timeout", 504,
          "Actor '" + address + "' did not answer before the request deadline.");
      case ActorFailures.BAD_REQUEST -> Problem.of("bad-request", "Bad Request", 400, re.getMessage());
      case ActorFailures.UNSUPPORTED_MEDIA_TYPE -> Problem.of("unsupported-media-type", "Unsupported Media Type", 415,
          re.getMessage());
      case 413 -> Problem.of("content-too-large", "Content Too Large", 413, re.getMessage());
      case 422 -> Problem.of("unprocessable-content", "Unprocessable Content", 422, re.getMessage());
      case 503 -> Problem.of("unavailable", "Service Unavailable", 503, re.getMessage());
      default -> code >= 400 && code <= 599
          ? Problem.of("actor-error", "Actor Error", code, "Actor '" + address + "': " + re.getMessage())
          : Problem.of("actor-error", "Internal Server Error", 500, "Actor '" + address + "' failed: " + re.getMessage());
    };
  }
}
