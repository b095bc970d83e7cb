package dev.satellite.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code edge:} section: node-wide load shedding, request hygiene (sizes and timeouts no request may
 * exceed), which proxies' {@code X-Forwarded-For} to believe, and how many rate-limit keys to remember.
 * Immutable.
 *
 * @param maxInFlight        requests in flight on routes (node-wide) above which new ones are shed (503)
 * @param maxLoopDelay       event-loop delay above which new requests are shed; zero = off
 * @param maxBodySize        largest request body, bytes (413 above it)
 * @param maxHeaderSize      largest request header block, bytes (431 above it)
 * @param idleTimeout        a connection idle this long is closed
 * @param requestReadTimeout a request whose body has not arrived in full within this is answered 408
 * @param headerReadTimeout  a request head (request line and headers) not in full within this of its first byte is
 *                           answered 408 and its connection closed
 * @param maxConnections     open connections the public listener keeps at most; beyond it new ones are refused
 * @param trustedProxies     client addresses whose {@code X-Forwarded-For} is believed
 * @param rateLimitKeys      distinct keys a keyed rate limit remembers (least recently used go first)
 * @param upstreamPoolSize   connections per upstream
 */
public record EdgeConfig(
    int maxInFlight,
    Duration maxLoopDelay,
    int maxBodySize,
    int maxHeaderSize,
    Duration idleTimeout,
    Duration requestReadTimeout,
    Duration headerReadTimeout,
    int maxConnections,
    List<String> trustedProxies,
    int rateLimitKeys,
    int upstreamPoolSize) {

  public EdgeConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }
}
