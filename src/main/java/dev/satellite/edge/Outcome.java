package dev.satellite.edge;

/** How a request on a route ended; the label is the {@code outcome} of {@code satellite_edge_requests_total}. */
public enum Outcome {
  /** Answered by the target (2xx/3xx). */
  OK,
  /** The target answered 4xx: the client's problem, not the target's failure. */
  CLIENT_ERROR,
  /**
   * Refused by the route's {@code auth} policy: no, a malformed or an unknown bearer token (401), or a token for
   * other routes only (403).
   */
  UNAUTHORIZED,
  /** Refused by the rate limiter (429). */
  RATE_LIMITED,
  /** Refused because the route's bulkhead was full (503). */
  BULKHEAD_FULL,
  /** Refused because the breaker was open (503). */
  BREAKER_OPEN,
  /** Refused because the node was shedding load (503). */
  SHED,
  /** The deadline passed (504). */
  TIMEOUT,
  /** The upstream failed: refused, reset, or answered 5xx (502/5xx). */
  UPSTREAM_ERROR,
  /** The actor could not take it: no instance, crashed, mailbox full (503). */
  ACTOR_UNAVAILABLE,
  /** The actor answered with an error of its own (5xx). */
  ACTOR_ERROR,
  /** The request itself was bad (400/413/408…). */
  BAD_REQUEST,
  /** The client went away before its answer was sent (nginx logs these as 499); not the target's failure. */
  CLIENT_CLOSED,
  /** A chaos fault answered in the target's place (an error fault on the route or its upstream). */
  INJECTED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The four kinds of ending an operator tells apart at a glance (the console charts them). */
  public enum Kind {
    /** Answered by the target. */
    OK,
    /** Refused by a policy before the target was asked: rate limit, bulkhead, breaker, shedding. */
    REFUSED,
    /** The target, or the way to it, failed: deadline, upstream, actor, or an injected fault. */
    FAILED,
    /** The client's own doing: a 4xx from the target, no or a wrong token, a bad request, gone before the answer. */
    CLIENT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Which of the four kinds this outcome is. */
  public Kind kind() {
    return switch (this) {
      case OK -> Kind.OK;
      case RATE_LIMITED, BULKHEAD_FULL, BREAKER_OPEN, SHED -> Kind.REFUSED;
      case TIMEOUT, UPSTREAM_ERROR, ACTOR_UNAVAILABLE, ACTOR_ERROR, INJECTED -> Kind.FAILED;
      case CLIENT_ERROR, UNAUTHORIZED, BAD_REQUEST, CLIENT_CLOSED -> Kind.CLIENT;
    };
  }
}
