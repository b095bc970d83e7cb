package dev.satellite.metrics;

import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.Vertx;

/**
 * Vert.x's metrics (vertx-micrometer-metrics underneath) with the per-request HTTP meters left out: the
 * connection meters of HTTP servers and clients (open connections, bytes read and written, errors) stay,
 * while the meters Vert.x would look up by tags on every request ({@code vertx_http_server_requests_*},
 * {@code vertx_http_client_requests_*} and their timers and size summaries) are not recorded. Satellite
 * counts and times requests itself, per route, with meters bound once ({@link MetricNames#EDGE_REQUESTS},
 * {@link MetricNames#EDGE_DURATION}); the registry lookups per request are what made Vert.x's own meters
 * the largest cost on the request path (see {@code bench/RESULTS.md}).
 *
 * <p>Thread-safe: a stateless decorator; the wrapped metrics are thread-safe.
 */
public final class WithoutRequestMeters implements VertxMetrics {

  private final VertxMetrics inner;

  public WithoutRequestMeters(VertxMetrics inner) {
    this.inner = inner;
  }

  @Override
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
    HttpServerMetrics<?, ?, ?> metrics = inner.createHttpServerMetrics(options, localAddress);
    return metrics == null ? null : new ServerConnections<>(metrics);
  }

  @Override
  public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    HttpClientMetrics<?, ?, ?> metrics = inner.createHttpClientMetrics(options);
    return metrics == null ? null : new ClientConnections<>(metrics);
  }

  @Override
  public EventBusMetrics<?> createEventBusMetrics() {
    return inner.createEventBusMetrics();
  }

  @Override
  public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
    return inner.createClientMetrics(remoteAddress, type, namespace);
  }

  @Override
  public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
    return inner.createNetServerMetrics(options, localAddress);
  }

  @Override
  public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
    return inner.createNetClientMetrics(options);
  }

  @Override
  public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
    return inner.createDatagramSocketMetrics(options);
  }

  @Override
  public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
    return inner.createPoolMetrics(type, name, maxSize);
  }

  @Override
  public void vertxCreated(Vertx vertx) {
    inner.vertxCreated(vertx);
  }

  @Override
  public boolean isMetricsEnabled() {
    return inner.isMetricsEnabled();
  }

  @Override
  public void close() {
    inner.close();
  }

  /** The connection-level calls every HTTP server and client metrics object takes, passed on. */
  private abstract static class Connections<S> implements TCPMetrics<S> {

    private final TCPMetrics<S> inner;

    Connections(TCPMetrics<S> inner) {
      this.inner = inner;
    }

    @Override
    public S connected(SocketAddress remoteAddress, String remoteName) {
      return inner.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(S socketMetric, SocketAddress remoteAddress) {
      inner.disconnected(socketMetric, remoteAddress);
    }

    @Override
    public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      inner.bytesRead(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      inner.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
      inner.exceptionOccurred(socketMetric, remoteAddress, t);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** A server's connection-level meters; the request-level calls fall to the SPI's no-op defaults. */
  private static final class ServerConnections<R, W, S> extends Connections<S> implements HttpServerMetrics<R, W, S> {

    ServerConnections(HttpServerMetrics<R, W, S> inner) {
      super(inner);
    }
  }

  /** A client's connection-level meters; no per-endpoint request meters. */
  private static final class ClientConnections<R, W, S> extends Connections<S> implements HttpClientMetrics<R, W, S> {

    ClientConnections(HttpClientMetrics<R, W, S> inner) {
      super(inner);
    }
  }
}
