package dev.satellite.actor;

/**
 * A reply body with the HTTP status it asks for, when 200 is not the answer (e.g. 202 Accepted): an actor's
 * {@code onMessage} may complete with one. The body travels as the reply, the status as the reply's
 * {@link MessageHeaders#STATUS} header; only 2xx statuses are honoured (failures are failures, not replies).
 * Immutable.
 *
 * @param body   the reply body (as any reply body)
 * @param status a 2xx HTTP status
 */
public record Reply(Object body, int status) {

  public Reply {
    if (status < 200 || status > 299) {
      throw new IllegalArgumentException("a reply status is 2xx, got " + status);
    }
  }

  public static Reply accepted(Object body) {
    return new Reply(body, 202);
  }
}
