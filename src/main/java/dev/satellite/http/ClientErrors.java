package dev.satellite.http;

import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the mistakes of clients are told: malformed requests, bodies that do not decode, request heads that trickle
 * in, connections over the limit. A client's mistake is never logged as a stack trace and never floods the log:
 * each kind is logged at most once per {@code interval}, one WARN line with an example and the number of the same
 * kind seen since the last line; every one is counted ({@code satellite_http_client_errors_total{kind}}).
 *
 * <p>Thread-safe. Kinds are a fixed set of names from the node's own code, never taken from a request.
 */
public final class ClientErrors {

  private static final Logger LOG = LoggerFactory.getLogger("satellite.client-errors");

  private final MeterRegistry registry;
  private final long intervalNanos;
  private final LongSupplier nanos;
  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

  private final class Kind {
    final Counter counter;
    final AtomicLong since = new AtomicLong();
    volatile long lastLogged;
    volatile boolean logged;

    Kind(String kind) {
      counter = Counter.builder(MetricNames.HTTP_CLIENT_ERRORS).description("Requests refused as the client's mistake")
          .tag("kind", kind).register(registry);
    }
  }

  public ClientErrors(MeterRegistry registry, long intervalNanos, LongSupplier nanos) {
    this.registry = registry;
    this.intervalNanos = intervalNanos;
    this.nanos = nanos;
  }

  /**
   * A client's mistake of kind {@code kind}; {@code example} says what it was (one line, no stack trace). Returns
   * whether this one was logged.
   */
  public boolean report(String kind, String example) {
    Kind k = kinds.computeIfAbsent(kind, Kind::new);
    k.counter.increment();
    long now = nanos.getAsLong();
    synchronized (k) {
      if (k.logged && now - k.lastLogged < intervalNanos) {
        k.since.incrementAndGet();
        return false;
      }
      long more = k.since.getAndSet(0);
      k.logged = true;
      k.lastLogged = now;
      if (more == 0) {
        LOG.warn("client error ({}): {}", kind, example);
      } else {
        LOG.warn("client error ({}): {} — and {} more of this kind since the last report", kind, example, more);
      }
      return true;
    }
  }
}
