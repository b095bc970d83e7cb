package dev.satellite.actor;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reply with more than a body: the 2xx HTTP status a gateway should answer with instead of 200 (e.g. 202
 * Accepted), and response headers. An actor's {@code onMessage} may complete with one; the runtime sends its body
 * with the status and headers as message headers ({@value #STATUS}, {@value #HEADER_PREFIX}{@code <name>}), and the
 * gateway reads them back with {@link #status(Message)} and {@link #headers(Message)}. Only 2xx statuses: a failure
 * is a failure (a bus failure code), never a reply.
 *
 * <p>Immutable; thread-safe.
 *
 * @param body    the reply body, as a plain reply's
 * @param status  the HTTP status (200-299)
 * @param headers response headers to add
 */
public record Reply(Object body, int status, Map<String, String> headers) {

  public static final String STATUS = "satellite-status";
  public static final String HEADER_PREFIX = "satellite-header-";

  public Reply {
    if (status < 200 || status > 299) {
      throw new IllegalArgumentException("a reply status is 2xx, got " + status);
    }
    headers = Map.copyOf(headers);
  }

  public static Reply of(Object body, int status) {
    return new Reply(body, status, Map.of());
  }

  /** 202 Accepted with {@code body}. */
  public static Reply accepted(Object body) {
    return of(body, 202);
  }

  /** The delivery options that carry this reply's status and headers. */
  public DeliveryOptions options() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add(STATUS, Integer.toString(status));
    headers.forEach((name, value) -> h.add(HEADER_PREFIX + name, value));
    return new DeliveryOptions().setHeaders(h);
  }

  /** The status a reply message asks for; 200 when it names none or one that is not 2xx. */
  public static int status(Message<?> reply) {
    String s = reply.headers().get(STATUS);
    if (s == null) {
      return 200;
    }
    try {
      int status = Integer.parseInt(s);
      return status >= 200 && status <= 299 ? status : 200;
    } catch (NumberFormatException e) {
      return 200;
    }
  }

  /** The response headers a reply message carries, by name. */
  public static Map<String, String> headers(Message<?> reply) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : reply.headers()) {
      if (e.getKey().regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length())) {
        out.put(e.getKey().substring(HEADER_PREFIX.length()), e.getValue());
      }
    }
    return out;
  }
}
