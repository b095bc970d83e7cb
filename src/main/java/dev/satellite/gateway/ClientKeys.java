package dev.satellite.gateway;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Set;

/**
 * The key a keyed rate limit counts a request under: the client address, or a header (an API key). The
 * client address is the connection's peer, unless that peer is a trusted proxy: then it is the right-most
 * address in {@code X-Forwarded-For} that is not a trusted proxy itself — a client cannot pick its own key
 * by sending the header.
 *
 * <p>Thread-safe: immutable.
 */
final class ClientKeys {

  static final String FORWARDED_FOR = "X-Forwarded-For";

  private final String mode;
  private final String header;
  private final Set<String> trustedProxies;

  ClientKeys(String key, Set<String> trustedProxies) {
    this.mode = key.startsWith("header:") ? "header" : key;
    this.header = key.startsWith("header:") ? key.substring("header:".length()) : null;
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  String keyOf(HttpServerRequest request) {
    return switch (mode) {
      case "ip" -> clientAddress(request, trustedProxies);
      case "header" -> {
        String value = request.getHeader(header);
        yield value == null || value.isEmpty() ? "-" : value;
      }
      default -> "";
    };
  }

  static String clientAddress(HttpServerRequest request, Set<String> trustedProxies) {
    SocketAddress remote = request.remoteAddress();
    String peer = remote == null ? "-" : remote.hostAddress();
    if (!trustedProxies.contains(peer)) {
      return peer;
    }
    String forwarded = request.getHeader(FORWARDED_FOR);
    if (forwarded == null) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }
}
