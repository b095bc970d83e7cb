package dev.satellite.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Whether a request carries a body, judged from its head alone: requests without one (most GETs) skip the
 * body reader and its read timeout, and may be sent again to an upstream.
 *
 * <p>Thread-safe: stateless.
 */
final class Bodies {

  private Bodies() {
  }

  /**
   * HTTP/1.x: no {@code Transfer-Encoding}, no {@code Content-Length} other than 0, and not a POST (RFC 9112
   * §6.3: such a request has no body). HTTP/2 frames a body without either header, so there only a declared
   * length of 0, or a GET or HEAD without a declared length, counts as no body.
   */
  static boolean absent(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (request.version() == HttpVersion.HTTP_2) {
      return length == null
          ? request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD
          : "0".equals(length.trim());
    }
    if (request.method() == HttpMethod.POST || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
      return false;
    }
    return length == null || "0".equals(length.trim());
  }
}
