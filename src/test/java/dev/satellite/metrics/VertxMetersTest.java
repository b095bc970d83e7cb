package dev.satellite.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's Vert.x metrics over the real vertx-micrometer-metrics: per-request meters only when asked for, and a
 * connection that came without a metric object (accepted the moment a port opened) skipped rather than failing every
 * read, write and close of it.
 */
class VertxMetersTest {

  private static final SocketAddress LOCAL = SocketAddress.inetSocketAddress(8080, "127.0.0.1");
  private static final SocketAddress REMOTE = SocketAddress.inetSocketAddress(40000, "127.0.0.1");

  private final MeterRegistry registry = new SimpleMeterRegistry();
  /** vertx-micrometer-metrics keeps one backend per registry name for the whole JVM: one name per test. */
  private final String name = "vertx-meters-" + UUID.randomUUID();

  @AfterEach
  void stop() {
    BackendRegistries.stop(name);
  }

  private VertxMetrics micrometer() {
    return new MicrometerMetricsFactory(registry).metrics(new VertxOptions()
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setRegistryName(name)));
  }

  @SuppressWarnings("unchecked")
  private static HttpServerMetrics<Object, Object, Object> server(VertxMetrics metrics) {
    return (HttpServerMetrics<Object, Object, Object>) metrics.createHttpServerMetrics(new HttpServerOptions(), LOCAL);
  }

  private double bytesWritten() {
    return registry.getMeters().stream().filter(m -> m instanceof Counter)
        .filter(m -> m.getId().getName().replace('.', '_').contains("http_server_bytes_written"))
        .mapToDouble(m -> ((Counter) m).count()).sum();
  }

  @Test
  void aConnectionWithoutAMetricIsSkippedWhereVertxMicrometerWouldThrowOnEveryCall() {
    HttpServerMetrics<Object, Object, Object> raw = server(micrometer());
    assertThatThrownBy(() -> raw.bytesWritten(null, REMOTE, 10)).isInstanceOf(NullPointerException.class);

    HttpServerMetrics<Object, Object, Object> server = server(new VertxMeters(micrometer(), false));
    server.bytesRead(null, REMOTE, 10);
    server.bytesWritten(null, REMOTE, 10);
    server.exceptionOccurred(null, REMOTE, new RuntimeException("reset"));
    server.disconnected(null, REMOTE);
    assertThat(bytesWritten()).isZero();

    Object connection = server.connected(REMOTE, "127.0.0.1");
    assertThat(connection).isNotNull();
    server.bytesWritten(connection, REMOTE, 100);
    assertThat(bytesWritten()).as("a connection with its metric is still counted").isEqualTo(100);
    server.disconnected(connection, REMOTE);
  }

  @Test
  void theEventBusServersConnectionsAreGuardedToo() {
    @SuppressWarnings("unchecked")
    TCPMetrics<Object> raw = (TCPMetrics<Object>) micrometer().createNetServerMetrics(new NetServerOptions(), LOCAL);
    assertThatThrownBy(() -> raw.bytesRead(null, REMOTE, 10)).isInstanceOf(NullPointerException.class);

    @SuppressWarnings("unchecked")
    TCPMetrics<Object> tcp = (TCPMetrics<Object>) new VertxMeters(micrometer(), false)
        .createNetServerMetrics(new NetServerOptions(), LOCAL);
    tcp.bytesRead(null, REMOTE, 10);
    tcp.bytesWritten(null, REMOTE, 10);
    tcp.exceptionOccurred(null, REMOTE, new RuntimeException("reset"));
    tcp.disconnected(null, REMOTE);
  }

  @Test
  void perRequestMetersOnlyWhenAskedForAndNeverForAConnectionWithoutAMetric() {
    HttpServerMetrics<Object, Object, Object> without = server(new VertxMeters(micrometer(), false));
    Object connection = without.connected(REMOTE, "127.0.0.1");
    assertThat(without.requestBegin(connection, new Request())).as("no request meters by default").isNull();

    HttpServerMetrics<Object, Object, Object> with = server(new VertxMeters(micrometer(), true));
    Object other = with.connected(REMOTE, "127.0.0.1");
    Object request = with.requestBegin(other, new Request());
    assertThat(request).isNotNull();
    with.requestEnd(request, new Request(), 0);
    with.responseBegin(request, new Response());
    with.responseEnd(request, new Response(), 5);
    assertThat(registry.getMeters()).anyMatch(m -> m.getId().getName().replace('.', '_').contains("http_server_requests"));

    Object orphan = with.requestBegin(null, new Request());
    assertThat(orphan).isNull();
    with.requestEnd(orphan, new Request(), 0);
    with.responseBegin(orphan, new Response());
    with.responseEnd(orphan, new Response(), 5);
    with.requestReset(orphan);
    with.requestRouted(orphan, "/hello");
  }

  private static final class Request implements HttpRequest {
    @Override
    public int id() {
      return 1;
    }

    @Override
    public String uri() {
      return "/hello";
    }

    @Override
    public String absoluteURI() {
      return "http://127.0.0.1:8080/hello";
    }

    @Override
    public HttpMethod method() {
      return HttpMethod.GET;
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }

    @Override
    public SocketAddress remoteAddress() {
      return REMOTE;
    }
  }

  private static final class Response implements HttpResponse {
    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }
  }
}
