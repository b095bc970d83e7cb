package dev.satellite.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is a sane token, else a fresh
 * random one. The id is echoed in the response header, written in the access log and in problem bodies,
 * and passed on to actors and upstreams.
 *
 * <p>Thread-safe: stateless.
 */
public final class RequestIds implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  private static final int MAX_LENGTH = 128;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
  private static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);

  @Override
  public void handle(RoutingContext ctx) {
    assign(ctx.request());
    ctx.next();
  }

  /**
   * Gives the request its id, as the {@code X-Request-Id} header of its response (where {@link #of} finds it
   * again). For listeners that assign ids before routing, without a route of their own.
   */
  public static void assign(HttpServerRequest request) {
    request.response().headers().add(HEADER_NAME, accept(request.getHeader(HEADER_NAME)));
  }

  /** The id of this request, or null when none was assigned. */
  public static String of(RoutingContext ctx) {
    return ctx.response().headers().get(HEADER_NAME);
  }

  /** The client's id if it is 1-128 visible ASCII characters (no spaces, nothing to forge log lines with); else a new one. */
  static String accept(String given) {
    if (given != null && !given.isEmpty() && given.length() <= MAX_LENGTH) {
      boolean ok = true;
      for (int i = 0; i < given.length() && ok; i++) {
        char c = given.charAt(i);
        ok = c > 0x20 && c < 0x7f && c != '"' && c != '\\';
      }
      if (ok) {
        return given;
      }
    }
    return fresh();
  }

  /** 128 random bits as 32 lower-case hex digits. */
  static String fresh() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    byte[] hex = new byte[32];
    hex16(r.nextLong(), hex, 0);
    hex16(r.nextLong(), hex, 16);
    return new String(hex, StandardCharsets.ISO_8859_1);
  }

  private static void hex16(long v, byte[] into, int at) {
    for (int i = at + 15; i >= at; i--) {
      into[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }
}
