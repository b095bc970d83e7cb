package dev.satellite.actor;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
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
    String value = headers.get(HEADER);
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
    DeliveryOptions options = new DeliveryOptions();
    if (deadline != NONE) {
      options.addHeader(HEADER, Long.toString(deadline)).setSendTimeout(Math.max(1, deadline - clock.millis()));
    }
    if (requestId != null) {
      options.addHeader(REQUEST_ID, requestId);
    }
    return options;
  }
}
