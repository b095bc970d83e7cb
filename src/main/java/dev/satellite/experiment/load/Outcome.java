package dev.satellite.experiment.load;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * How one request ended, as the key it is counted under in {@code byStatus}: the HTTP status
 * ("200", "503" …), or "timeout", "connect", "io" for a transport failure, or "overflow" for a request
 * refused because too many were in flight. An immutable value: thread-safe.
 *
 * @param key the {@code byStatus} key
 * @param ok  true for a 2xx answer
 */
record Outcome(String key, boolean ok) {

  static final Outcome TIMEOUT = new Outcome("timeout", false);
  static final Outcome CONNECT = new Outcome("connect", false);
  static final Outcome IO = new Outcome("io", false);
  static final Outcome OVERFLOW = new Outcome("overflow", false);

  /** The outcome of an HTTP answer with this status. */
  static Outcome ofStatus(int status) {
    return new Outcome(Integer.toString(status), status >= 200 && status < 300);
  }

  /** The outcome of a request that failed without an answer. */
  static Outcome ofFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
        return CONNECT; // includes Netty's ConnectTimeoutException
      }
      if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
        return TIMEOUT;
      }
    }
    return IO;
  }
}
