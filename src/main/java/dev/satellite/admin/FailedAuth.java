package dev.satellite.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * IPv6 addresses count by their /64 ({@link #key}). At most {@link #MAX_LINES} lines are written per interval in all:
 * refusals beyond them, from many addresses at once, are one {@code "result":"suppressed"} line with their count.
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
  /** At most this many refusal lines per {@link #LOG_INTERVAL} in all; the rest are counted in one line. */
  static final int MAX_LINES = 100;

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

  private long linesSince = Long.MIN_VALUE;
  private int lines;
  private long suppressed;

  FailedAuth(Clock clock) {
    this.clock = clock;
  }

  /**
   * Who is counted: the address, or for IPv6 its /64 (one host commonly holds a whole /64, so a new address per
   * guess must not mean a fresh allowance per guess).
   */
  static String key(String remote) {
    if (remote.indexOf(':') < 0) {
      return remote;
    }
    try {
      byte[] a = InetAddress.getByName(remote).getAddress(); // a literal: no lookup
      if (a.length != 16) {
        return remote;
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
      }
      return prefix.append(":/64").toString();
    } catch (UnknownHostException e) {
      return remote;
    }
  }

  /** How long {@code remote} must wait before it may try again (zero: it may try now). */
  synchronized Duration retryAfter(String remote) {
    Address a = addresses.get(key(remote));
    long now = clock.millis();
    if (a == null || a.inWindow <= ALLOWED || now - a.windowStart >= WINDOW.toMillis()) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(a.windowStart + WINDOW.toMillis() - now);
  }

  /** Counts a refusal from {@code remote} ({@code why}: the result on the audit line) and logs it when due. */
  synchronized void refused(String address, String action, String why) {
    long now = clock.millis();
    String remote = key(address);
    Address a = addresses.computeIfAbsent(remote, r -> new Address());
    if (now - a.windowStart >= WINDOW.toMillis()) {
      a.windowStart = now;
      a.inWindow = 0;
    }
    a.inWindow++;
    a.sinceLogged++;
    if (a.loggedAt == Long.MIN_VALUE || now - a.loggedAt >= LOG_INTERVAL.toMillis()) {
      if (linesSince == Long.MIN_VALUE || now - linesSince >= LOG_INTERVAL.toMillis()) {
        if (suppressed > 0) {
          Audit.write(clock, action, "/admin", "suppressed", "many", "none", suppressed);
        }
        linesSince = now;
        lines = 0;
        suppressed = 0;
      }
      if (lines >= MAX_LINES) { // many addresses at once: this one's count waits for its next line
        suppressed++;
        return;
      }
      lines++;
      Audit.write(clock, action, "/admin", why, remote, "none", a.sinceLogged);
      a.loggedAt = now;
      a.sinceLogged = 0;
    }
  }
}
