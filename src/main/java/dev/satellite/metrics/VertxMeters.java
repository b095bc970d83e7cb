package dev.satellite.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
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
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Vert.x's metrics (vertx-micrometer-metrics underneath) as the node records them.
 *
 * <p><b>Per-request HTTP meters are off unless asked for</b> ({@code metrics.httpRequests}): the connection meters of
 * HTTP servers and clients (open connections, bytes read and written, errors) stay, while the meters Vert.x would look
 * up by tags on every request ({@code vertx_http_server_requests_*}, {@code vertx_http_client_requests_*} and their
 * timers and size summaries) are not recorded. Satellite counts and times requests itself, per route, with meters
 * bound once ({@link MetricNames#EDGE_REQUESTS}, {@link MetricNames#EDGE_DURATION}); the registry lookups per request
 * are what made Vert.x's own meters the largest cost on the request path (see {@code bench/RESULTS.md}).
 *
 * <p><b>A connection without a metric object is skipped, not failed.</b> One accepted in the moment between a
 * listener's bind and Vert.x creating that listener's metrics (a client connecting the instant a port opens, as a load
 * balancer or a readiness poll does while a node starts) is given none, and vertx-micrometer-metrics then throws a
 * NullPointerException on every read, write and close of that connection: one stack trace in the log per request, for
 * as long as the connection lives. Here such a connection, and its requests, are simply not counted.
 *
 * <p>Thread-safe: a stateless decorator; the wrapped metrics are thread-safe.
 */
public final class VertxMeters implements VertxMetrics {

  private final VertxMetrics inner;
  private final boolean requests;

  /** @param requests also record Vert.x's per-request HTTP meters */
  public VertxMeters(VertxMetrics inner, boolean requests) {
    this.inner = inner;
    this.requests = requests;
  }

  @Override
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
    HttpServerMetrics<?, ?, ?> metrics = inner.createHttpServerMetrics(options, localAddress);
    return metrics == null ? null : new ServerConnections<>(metrics, requests);
  }

  @Override
  public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
    HttpClientMetrics<?, ?, ?> metrics = inner.createHttpClientMetrics(options);
    return metrics == null ? null : new ClientConnections<>(metrics, requests);
  }

  @Override
  public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
    TCPMetrics<?> metrics = inner.createNetServerMetrics(options, localAddress);
    return metrics == null ? null : new Connections<>(metrics);
  }

  @Override
  public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
    TCPMetrics<?> metrics = inner.createNetClientMetrics(options);
    return metrics == null ? null : new Connections<>(metrics);
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

  /**
   * The connection-level calls every server and client metrics object takes, for connections with a metric; as it is,
   * a plain TCP server's or client's meters (the clustered event bus).
   */
  private static class Connections<S> implements TCPMetrics<S> {

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
      if (socketMetric != null) {
        inner.disconnected(socketMetric, remoteAddress);
      }
    }

    @Override
    public void bytesRead(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      if (socketMetric != null) {
        inner.bytesRead(socketMetric, remoteAddress, numberOfBytes);
      }
    }

    @Override
    public void bytesWritten(S socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      if (socketMetric != null) {
        inner.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
      }
    }

    @Override
    public void exceptionOccurred(S socketMetric, SocketAddress remoteAddress, Throwable t) {
      if (socketMetric != null) {
        inner.exceptionOccurred(socketMetric, remoteAddress, t);
      }
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /**
   * An HTTP server's meters: its connections, and its requests when asked for. A request begins only on a connection
   * with a metric, so a request without one (null) is skipped in every later call.
   */
  private static final class ServerConnections<R, W, S> extends Connections<S> implements HttpServerMetrics<R, W, S> {

    private final HttpServerMetrics<R, W, S> inner;
    private final boolean requests;

    ServerConnections(HttpServerMetrics<R, W, S> inner, boolean requests) {
      super(inner);
      this.inner = inner;
      this.requests = requests;
    }

    @Override
    public R requestBegin(S socketMetric, HttpRequest request) {
      return requests && socketMetric != null ? inner.requestBegin(socketMetric, request) : null;
    }

    @Override
    public void requestEnd(R requestMetric, HttpRequest request, long bytesRead) {
      if (requestMetric != null) {
        inner.requestEnd(requestMetric, request, bytesRead);
      }
    }

    @Override
    public void requestReset(R requestMetric) {
      if (requestMetric != null) {
        inner.requestReset(requestMetric);
      }
    }

    @Override
    public void responseBegin(R requestMetric, HttpResponse response) {
      if (requestMetric != null) {
        inner.responseBegin(requestMetric, response);
      }
    }

    @Override
    public R responsePushed(S socketMetric, HttpMethod method, String uri, HttpResponse response) {
      return requests && socketMetric != null ? inner.responsePushed(socketMetric, method, uri, response) : null;
    }

    @Override
    public void responseEnd(R requestMetric, HttpResponse response, long bytesWritten) {
      if (requestMetric != null) {
        inner.responseEnd(requestMetric, response, bytesWritten);
      }
    }

    @Override
    public W connected(S socketMetric, R requestMetric, ServerWebSocket serverWebSocket) {
      return requests && socketMetric != null && requestMetric != null
          ? inner.connected(socketMetric, requestMetric, serverWebSocket) : null;
    }

    @Override
    public void disconnected(W webSocketMetric) {
      if (webSocketMetric != null) {
        inner.disconnected(webSocketMetric);
      }
    }

    @Override
    public void requestRouted(R requestMetric, String route) {
      if (requestMetric != null) {
        inner.requestRouted(requestMetric, route);
      }
    }
  }

  /** An HTTP client's meters: its connections, and its per-endpoint requests and WebSockets when asked for. */
  private static final class ClientConnections<R, W, S> extends Connections<S> implements HttpClientMetrics<R, W, S> {

    private final HttpClientMetrics<R, W, S> inner;
    private final boolean requests;

    ClientConnections(HttpClientMetrics<R, W, S> inner, boolean requests) {
      super(inner);
      this.inner = inner;
      this.requests = requests;
    }

    @Override
    public ClientMetrics<R, HttpRequest, HttpResponse> createEndpointMetrics(SocketAddress remoteAddress,
        int maxPoolSize) {
      return requests ? inner.createEndpointMetrics(remoteAddress, maxPoolSize) : null;
    }

    @Override
    public void endpointConnected(ClientMetrics<R, ?, ?> endpointMetric) {
      if (endpointMetric != null) {
        inner.endpointConnected(endpointMetric);
      }
    }

    @Override
    public void endpointDisconnected(ClientMetrics<R, ?, ?> endpointMetric) {
      if (endpointMetric != null) {
        inner.endpointDisconnected(endpointMetric);
      }
    }

    @Override
    public W connected(WebSocket webSocket) {
      return requests ? inner.connected(webSocket) : null;
    }

    @Override
    public void disconnected(W webSocketMetric) {
      if (webSocketMetric != null) {
        inner.disconnected(webSocketMetric);
      }
    }
  }
}
