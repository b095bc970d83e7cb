package dev.satellite.admin;

import dev.satellite.config.SatelliteConfig.AdminRole;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The console's sign-in sessions, on this node: a session is made by signing in with an admin token and lives until
 * it is signed out or its {@code ttl} is over (no sliding: an absolute expiry). Its id is the value of an
 * {@code HttpOnly}, {@code SameSite=Strict} cookie; its CSRF token must come back in {@link #CSRF_HEADER} with every
 * call that changes state. Both are 32 random bytes. The session carries the token's name and role, not the token.
 *
 * <p>At most {@link #MAX_PER_TOKEN} sessions per token (signing in again ends that token's oldest, so one token's
 * holder cannot push others' sessions out) and {@link #MAX_SESSIONS} in all are kept, so signing in in a loop cannot
 * grow memory. Time comes from the injected clock.
 *
 * <p>Thread-safe: synchronized (the admin listener runs on one event loop anyway).
 */
final class Sessions {

  static final String COOKIE = "satellite_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final int MAX_SESSIONS = 1000;
  /** At most this many sessions per token: signing in again beyond that ends that token's oldest session only. */
  static final int MAX_PER_TOKEN = 16;

  /**
   * A signed-in session. {@code valid} says whether the token it was signed in with is still one the node accepts
   * (a token taken out of its file ends its sessions).
   */
  record Session(String id, String csrf, String name, AdminRole role, Instant expires, BooleanSupplier valid) {
    /** Whether {@code given} is this session's CSRF token, compared in constant time. */
    boolean csrfMatches(String given) {
      return given != null && MessageDigest.isEqual(csrf.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          given.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> byId = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
      return size() > MAX_SESSIONS;
    }
  };

  Sessions(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  Duration ttl() {
    return ttl;
  }

  synchronized Session create(String name, AdminRole role, BooleanSupplier valid) {
    List<Session> same = byId.values().stream().filter(x -> x.name().equals(name)).toList();
    if (same.size() >= MAX_PER_TOKEN) { // oldest first: insertion order
      byId.remove(same.get(0).id());
    }
    Session s = new Session(randomId(), randomId(), name, role, clock.instant().plus(ttl), valid);
    byId.put(s.id(), s);
    return s;
  }

  /** The live session with {@code id}, or null (an expired one is forgotten). */
  synchronized Session find(String id) {
    if (id == null) {
      return null;
    }
    Session s = byId.get(id);
    if (s != null && (!clock.instant().isBefore(s.expires()) || !s.valid().getAsBoolean())) {
      byId.remove(id);
      return null;
    }
    return s;
  }

  synchronized void end(String id) {
    byId.remove(id);
  }

  synchronized int size() {
    byId.values().removeIf(s -> !clock.instant().isBefore(s.expires()));
    return byId.size();
  }

  private String randomId() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
