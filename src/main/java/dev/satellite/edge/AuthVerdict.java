package dev.satellite.edge;

/**
 * What a route's {@code auth} policy says of a request, and how the gateway answers it (RFC 6750 §3): every
 * refusal is 401 with {@code WWW-Authenticate: Bearer}, except a token this node knows for other routes only (403).
 */
public enum AuthVerdict {
  /** A token the route accepts: the request goes on to the other policies. */
  ALLOWED(200, null),
  /** No {@code Authorization} header: 401, the challenge without an error code. */
  MISSING(401, null),
  /** An {@code Authorization} header that is not {@code Bearer <token>}: 401 {@code invalid_request}. */
  MALFORMED(401, "invalid_request"),
  /** A bearer token no route of this node accepts: 401 {@code invalid_token}. */
  INVALID(401, "invalid_token"),
  /** A token another route of this node accepts, but not this one: 403 {@code insufficient_scope}. */
  FORBIDDEN(403, "insufficient_scope");

  private final int status;
  private final String error;

  AuthVerdict(int status, String error) {
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  /** The RFC 6750 {@code error} of the challenge, or null. */
  public String error() {
    return error;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
