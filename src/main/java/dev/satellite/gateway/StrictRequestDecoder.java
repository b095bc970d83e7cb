package dev.satellite.gateway;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's HTTP/1.x request decoder, stricter where RFC 9112 asks: a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} (§6.3: its framing is ambiguous — the classic request-smuggling vector; a server must
 * answer 400 and close the connection) and a request of an HTTP version other than 1.0 and 1.1 (answered 505) are
 * marked as failed decodes, so they reach the listener's invalid-request handler instead of a route. (Netty alone
 * drops the {@code Content-Length} and carries on; Vert.x alone answers an unknown version 501 in that version.)
 *
 * <p>Not thread-safe: one per connection, as every decoder.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  /** The request's framing is ambiguous: both {@code Content-Length} and {@code Transfer-Encoding}. */
  static final class AmbiguousFraming extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    AmbiguousFraming() {
      super("the request has both Content-Length and Transfer-Encoding");
    }
  }

  /** The request names an HTTP version this server does not speak. */
  static final class UnsupportedVersion extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsupportedVersion(String version) {
      super("HTTP version " + (version.length() > 20 ? version.substring(0, 20) + "…" : version) + " is not supported");
    }
  }

  /** Whether the request being refused named an unknown version (its answer then says HTTP/1.1). */
  private boolean unsupportedVersion;

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    HttpMessage message = super.createMessage(initialLine);
    HttpVersion version = message.protocolVersion();
    if (version.majorVersion() != 1 || version.minorVersion() > 1) {
      unsupportedVersion = true;
      throw new UnsupportedVersion(initialLine[2]); // the decoder turns it into a failed, invalid message
    }
    return message;
  }

  @Override
  protected HttpMessage createInvalidMessage() {
    HttpMessage message = super.createInvalidMessage();
    if (unsupportedVersion) {
      // RFC 9110 §6.2: answer in the highest version this server speaks at or below the one asked for
      message.setProtocolVersion(HttpVersion.HTTP_1_1);
      unsupportedVersion = false;
    }
    return message;
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    message.setDecoderResult(DecoderResult.failure(new AmbiguousFraming()));
  }
}
