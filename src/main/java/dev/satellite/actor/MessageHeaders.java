package dev.satellite.actor;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import java.time.Clock;

/**
 * The headers a request carries from hop to hop, so work started by one HTTP request can be followed and bounded
 * across actors and nodes:
 * <ul>
 *   <li>{@value #TIMEOUT}: the milliseconds left before the deadline when the message was sent. Like gRPC's
 *       {@code grpc-timeout}, it is the time <em>left</em>, never a point in time: each receiver turns it into a
 *       deadline on its own monotonic clock, so wall clocks that differ (or step) between nodes cannot make work
 *       look late or early. The bus timeout of the request is the same number.</li>
 *   <li>{@value #REQUEST_ID}: the id of the HTTP request (or first message) that started the work.</li>
 *   <li>{@value #TRACEPARENT}: the W3C trace context (see {@link TraceContext}).</li>
 *   <li>{@value #SHIELDED}: the request came through a circuit breaker, which contains a crash loop it causes
 *       (see {@code CrashKind#POISON}).</li>
 *   <li>{@value #CONTENT_TYPE}: the media type of a body passed on as bytes.</li>
 *   <li>{@value #PARAM_PREFIX}{@code <name>}: a path parameter of the HTTP route ({@code /stats/:name}).</li>
 *   <li>{@value #IDEMPOTENCY_KEY}: the client's {@code Idempotency-Key}, when it sent one.</li>
 * </ul>
 *
 * <p>Thread-safe: stateless.
 */
public final class MessageHeaders {

  public static final String TIMEOUT = "satellite-timeout-ms";
  public static final String REQUEST_ID = "x-request-id";
  public static final String TRACEPARENT = "traceparent";
  public static final String SHIELDED = "satellite-shielded";
  public static final String CONTENT_TYPE = "content-type";
  /** A request's path parameter {@code name} travels as header {@code satellite-param-<name>}. */
  public static final String PARAM_PREFIX = "satellite-param-";
  public static final String IDEMPOTENCY_KEY = "idempotency-key";
  /** A deadline that never comes: what a message without {@value #TIMEOUT} has. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private static final CharSequence TIMEOUT_NAME = HttpHeaders.createOptimized(TIMEOUT);
  private static final CharSequence REQUEST_ID_NAME = HttpHeaders.createOptimized(REQUEST_ID);
  private static final CharSequence TRACEPARENT_NAME = HttpHeaders.createOptimized(TRACEPARENT);
  private static final CharSequence SHIELDED_NAME = HttpHeaders.createOptimized(SHIELDED);
  private static final CharSequence CONTENT_TYPE_NAME = HttpHeaders.createOptimized(CONTENT_TYPE);
  private static final String YES = "1";

  private MessageHeaders() {
  }

  /**
   * The deadline of a message received now: {@code clock.millis()} plus the time left it carries, or
   * {@link #NO_DEADLINE} when it carries none.
   *
   * @throws IllegalArgumentException when the header is there but is not a whole number of milliseconds
   */
  public static long deadlineOnReceipt(MultiMap headers, Clock clock) {
    String value = headers.get(TIMEOUT_NAME);
    if (value == null) {
      return NO_DEADLINE;
    }
    long left;
    try {
      left = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the " + TIMEOUT + " header must be a whole number of milliseconds, got '"
          + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
    }
    return clock.millis() + left;
  }

  /** Milliseconds left until {@code deadline} (negative once passed; {@link Long#MAX_VALUE} for none). */
  public static long millisLeft(long deadline, Clock clock) {
    return deadline == NO_DEADLINE ? Long.MAX_VALUE : deadline - clock.millis();
  }

  /**
   * Delivery options of a request with {@code millisLeft} to go ({@link Long#MAX_VALUE}: no deadline): the time
   * left as header and as bus timeout, and the request id and trace context when given (null: none).
   */
  public static DeliveryOptions request(long millisLeft, String requestId, String traceparent) {
    DeliveryOptions options = new DeliveryOptions();
    if (millisLeft == Long.MAX_VALUE && requestId == null && traceparent == null) {
      return options;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (millisLeft != Long.MAX_VALUE) {
      long left = Math.max(1, millisLeft);
      headers.add(TIMEOUT_NAME, Long.toString(left));
      options.setSendTimeout(left);
    }
    if (requestId != null) {
      headers.add(REQUEST_ID_NAME, requestId);
    }
    if (traceparent != null) {
      headers.add(TRACEPARENT_NAME, traceparent);
    }
    return options.setHeaders(headers);
  }

  /** A copy of {@code options} for a request sent again later, with {@code millisLeft} to go then. */
  public static DeliveryOptions resent(DeliveryOptions options, long millisLeft) {
    DeliveryOptions copy = new DeliveryOptions(options);
    if (options.getHeaders() != null && options.getHeaders().contains(TIMEOUT_NAME)) {
      long left = Math.max(1, millisLeft);
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(options.getHeaders());
      headers.set(TIMEOUT_NAME, Long.toString(left));
      copy.setHeaders(headers).setSendTimeout(left);
    }
    return copy;
  }

  /** Marks a request as sent through a circuit breaker (a crash it causes is the breaker's to contain). */
  public static DeliveryOptions shielded(DeliveryOptions options) {
    MultiMap headers = options.getHeaders();
    if (headers == null) {
      options.setHeaders(MultiMap.caseInsensitiveMultiMap().add(SHIELDED_NAME, YES));
    } else {
      headers.set(SHIELDED_NAME, YES);
    }
    return options;
  }

  /** Adds the media type of a body passed on as bytes. */
  public static DeliveryOptions withContentType(DeliveryOptions options, String contentType) {
    if (contentType != null) {
      if (options.getHeaders() == null) {
        options.setHeaders(MultiMap.caseInsensitiveMultiMap());
      }
      options.getHeaders().set(CONTENT_TYPE_NAME, contentType);
    }
    return options;
  }

  /** Adds a header, creating the options' header map when it has none. */
  public static DeliveryOptions with(DeliveryOptions options, String name, String value) {
    if (options.getHeaders() == null) {
      options.setHeaders(MultiMap.caseInsensitiveMultiMap());
    }
    options.getHeaders().set(name, value);
    return options;
  }

  /** The client's {@code Idempotency-Key}, or null. */
  public static String idempotencyKey(Message<?> message) {
    return message.headers().get(IDEMPOTENCY_KEY);
  }

  public static boolean isShielded(Message<?> message) {
    return message.headers().contains(SHIELDED_NAME);
  }

  public static String requestId(Message<?> message) {
    return message.headers().get(REQUEST_ID_NAME);
  }

  public static String traceparent(Message<?> message) {
    return message.headers().get(TRACEPARENT_NAME);
  }

  public static String contentType(Message<?> message) {
    return message.headers().get(CONTENT_TYPE_NAME);
  }

  /** Adds a path parameter of the HTTP request the message stands for. */
  public static DeliveryOptions withParam(DeliveryOptions options, String name, String value) {
    return with(options, PARAM_PREFIX + name, value);
  }

  /** The path parameter {@code name} of the HTTP request the message stands for, or null. */
  public static String param(Message<?> message, String name) {
    return message.headers().get(PARAM_PREFIX + name);
  }
}
