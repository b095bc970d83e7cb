package dev.satellite.actor;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import java.time.Clock;

/**
 * Deadlines that travel with messages: a request carries its absolute deadline (epoch milliseconds) in the
 * {@value #HEADER} header, and every hop sends with the time that is left as its bus timeout. An actor
 * never starts work whose deadline has passed. The request id travels the same way in {@value #REQUEST_ID}.
 *
 * <p>Thread-safe: stateless.
 */
public final class Deadlines {

  /** Message header: absolute deadline, milliseconds since the epoch. */
  public static final String HEADER = "satellite-deadline";
  /** Message header: the request id of the HTTP request (or first message) that started the work. */
  public static final String REQUEST_ID = "x-request-id";
  private static final CharSequence HEADER_NAME = HttpHeaders.createOptimized(HEADER);
  private static final CharSequence REQUEST_ID_NAME = HttpHeaders.createOptimized(REQUEST_ID);
  /** No deadline: {@link #of(Message)} returns this when a message carries none. */
  public static final long NONE = Long.MAX_VALUE;

  private Deadlines() {
  }

  /** The message's deadline in epoch milliseconds, or {@link #NONE}. */
  public static long of(Message<?> message) {
    return parse(message.headers());
  }

  /** The deadline in a set of message headers, or {@link #NONE}. */
  public static long parse(MultiMap headers) {
    String value = headers.get(HEADER_NAME);
    if (value == null) {
      return NONE;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return NONE;
    }
  }

  /** Milliseconds left until {@code deadline} (negative once passed; {@link Long#MAX_VALUE} for none). */
  public static long millisLeft(long deadline, Clock clock) {
    return deadline == NONE ? Long.MAX_VALUE : deadline - clock.millis();
  }

  /**
   * Delivery options for a request bounded by {@code deadline}: the header, and the time left as the bus
   * timeout. A passed deadline yields a timeout of zero or less; callers must check before sending.
   */
  public static DeliveryOptions options(long deadline, String requestId, Clock clock) {
    return options(deadline, deadline == NONE ? 0 : deadline - clock.millis(), requestId);
  }

  /** As {@link #options(long, String, Clock)}, for a caller that already knows the time left ({@code millisLeft}). */
  public static DeliveryOptions options(long deadline, long millisLeft, String requestId) {
    DeliveryOptions options = new DeliveryOptions();
    if (deadline == NONE && requestId == null) {
      return options;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (deadline != NONE) {
      headers.add(HEADER_NAME, Long.toString(deadline));
      options.setSendTimeout(Math.max(1, millisLeft));
    }
    if (requestId != null) {
      headers.add(REQUEST_ID_NAME, requestId);
    }
    return options.setHeaders(headers);
  }
}
