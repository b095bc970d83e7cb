package dev.satellite.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refused admin authentication, per remote address: recorded on the audit log at most once per
 * {@link #LOG_INTERVAL} per address, with the count since that address's last line (so a flood of bad tokens cannot
 * flood the log), and slowed down — more than {@link #ALLOWED} refusals from one address within a
 * {@link #WINDOW} and every request from it is answered 429 with {@code Retry-After} until the window ends, without
 * looking at its token (so guessing goes no faster than that, and learns nothing meanwhile).
 *
 * <p>At most {@link #MAX_ADDRESSES} addresses are remembered (the least recently refused are forgotten first), so
 * spoofed or many addresses cannot grow memory. Time comes from the injected clock.
 *
 * <p>Thread-safe: synchronized; the admin listener runs on one event loop anyway.
 */
final class FailedAuth {

  static final int ALLOWED = 5;
  static final Duration WINDOW = Duration.ofMinutes(1);
  static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
  static final int MAX_ADDRESSES = 10_000;

  /** One address's refusals: when its window began, how many in it, when it was last logged, how many since. */
  private static final class Address {
    long windowStart;
    int inWindow;
    long loggedAt = Long.MIN_VALUE;
    long sinceLogged;
  }

  private final Clock clock;
  private final Map<String, Address> addresses = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Address> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  FailedAuth(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code remote} must wait before it may try again (zero: it may try now). */
  synchronized Duration retryAfter(String remote) {
    Address a = addresses.get(remote);
    long now = clock.millis();
    if (a == null || a.inWindow <= ALLOWED || now - a.windowStart >= WINDOW.toMillis()) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(a.windowStart + WINDOW.toMillis() - now);
  }

  /** Counts a refusal from {@code remote} ({@code why}: the result on the audit line) and logs it when due. */
  synchronized void refused(String remote, String action, String why) {
    long now = clock.millis();
    Address a = addresses.computeIfAbsent(remote, r -> new Address());
    if (now - a.windowStart >= WINDOW.toMillis()) {
      a.windowStart = now;
      a.inWindow = 0;
    }
    a.inWindow++;
    a.sinceLogged++;
    if (a.loggedAt == Long.MIN_VALUE || now - a.loggedAt >= LOG_INTERVAL.toMillis()) {
      Audit.write(clock, action, "/admin", why, remote, "none", a.sinceLogged);
      a.loggedAt = now;
      a.sinceLogged = 0;
    }
  }
}
