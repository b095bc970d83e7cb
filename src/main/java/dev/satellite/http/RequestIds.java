package dev.satellite.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
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

  @Override
  public void handle(RoutingContext ctx) {
    String id = accept(ctx.request().getHeader(HEADER));
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
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

  static String fresh() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return hex16(r.nextLong()) + hex16(r.nextLong());
  }

  private static String hex16(long v) {
    String s = Long.toHexString(v);
    return s.length() == 16 ? s : "0".repeat(16 - s.length()) + s;
  }
}
