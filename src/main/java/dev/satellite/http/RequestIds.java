package dev.satellite.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpHeaders;
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
  static final String KEY = "satellite.requestId";
  private static final int MAX_LENGTH = 128;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
  private static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);

  @Override
  public void handle(RoutingContext ctx) {
    String id = accept(ctx.request().getHeader(HEADER_NAME));
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER_NAME, id);
    ctx.next();
  }

  /** The id of this request, or null when the handler did not run. */
  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
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
