package dev.satellite.edge;

import dev.satellite.config.RouteSpec;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * A route's {@code auth} policy: the bearer tokens it accepts (its own {@code tokens} and those of its
 * {@code tokenFile}, as that file reads now) and its verdict on a request's {@code Authorization} header. The
 * gateway asks it first, before any other policy, so requests without a valid token take nothing from the rate
 * limit, the bulkhead or the breaker that legitimate clients rely on.
 *
 * <p>Thread-safe: immutable but for the file's tokens (see {@link TokenFile}) and the verdict counts.
 */
public final class RouteAuth {

  private final List<byte[]> inline;
  private final TokenFile file;
  private final Predicate<byte[]> acceptedElsewhere;
  private final Map<AuthVerdict, LongAdder> counts = new EnumMap<>(AuthVerdict.class);

  /**
   * @param file              the route's token file, or null
   * @param acceptedElsewhere whether another route of this node accepts a token (by digest): such a token is
   *                          refused with 403, any other with 401
   */
  public RouteAuth(RouteSpec.Auth spec, TokenFile file, Predicate<byte[]> acceptedElsewhere) {
    this.inline = BearerTokens.digests(spec.tokens());
    this.file = file;
    this.acceptedElsewhere = acceptedElsewhere;
    for (AuthVerdict v : AuthVerdict.values()) {
      counts.put(v, new LongAdder());
    }
  }

  /** The verdict on a request with this {@code Authorization} header (null when it has none); counted. */
  public AuthVerdict check(String authorization) {
    AuthVerdict verdict = verdict(authorization);
    counts.get(verdict).increment();
    return verdict;
  }

  private AuthVerdict verdict(String authorization) {
    String credentials = BearerTokens.credentials(authorization);
    if (credentials == null) {
      return AuthVerdict.MISSING;
    }
    if (credentials.isEmpty()) {
      return AuthVerdict.MALFORMED;
    }
    byte[] given = BearerTokens.digest(credentials);
    if (accepts(given)) {
      return AuthVerdict.ALLOWED;
    }
    return acceptedElsewhere.test(given) ? AuthVerdict.FORBIDDEN : AuthVerdict.INVALID;
  }

  /** Whether this route accepts the token with this digest (constant time in the token). */
  public boolean accepts(byte[] digest) {
    boolean inlineMatch = BearerTokens.anyEquals(inline, digest);
    boolean fileMatch = file != null && BearerTokens.anyEquals(file.digests(), digest);
    return inlineMatch | fileMatch;
  }

  /** For {@code /admin/edges}: how many tokens, from where, and the verdicts so far (never a token). */
  public JsonObject toJson() {
    JsonObject verdicts = new JsonObject();
    counts.forEach((v, c) -> verdicts.put(v.label(), c.sum()));
    return new JsonObject()
        .put("tokens", inline.size() + (file == null ? 0 : file.digests().size()))
        .put("tokenFile", file == null ? null : file.path().toString())
        .put("verdicts", verdicts);
  }
}
