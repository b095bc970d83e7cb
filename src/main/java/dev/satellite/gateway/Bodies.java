package dev.satellite.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Whether a request carries a body, judged from its head alone: requests without one (most GETs) skip the
 * body reader and its read timeout, and may be sent again to an upstream.
 *
 * <p>Thread-safe: stateless.
 */
final class Bodies {

  private Bodies() {
  }

  /** No {@code Transfer-Encoding}, no {@code Content-Length} other than 0, and not a POST. */
  static boolean absent(HttpServerRequest request) {
    if (request.method() == HttpMethod.POST || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
      return false;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return length == null || "0".equals(length.trim());
  }
}
