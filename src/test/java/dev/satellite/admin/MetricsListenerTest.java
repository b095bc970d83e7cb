package dev.satellite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.ConfigException;
import dev.satellite.support.NodeHarness;
import dev.satellite.support.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The metrics listener: the scrape and the probes on a port of their own, and nothing of the admin API. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MetricsListenerTest {

  private NodeHarness h;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void itServesMetricsAndHealthWithoutATokenAndNoAdminPath(Vertx vertx) throws Exception {
    int port = TestConfigs.freePort();
    h = NodeHarness.start(vertx, "metrics.port=" + port, "metrics.host=127.0.0.1", "admin.token=secret-token");
    WebClient web = WebClient.create(vertx);
    HttpResponse<Buffer> metrics = NodeHarness.await(web.get(port, "127.0.0.1", "/metrics").send());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.bodyAsString()).contains("satellite_node_ready 1.0").contains("satellite_start_to_ready_seconds");
    assertThat(NodeHarness.await(web.get(port, "127.0.0.1", "/metrics/satellite_node_ready").send()).bodyAsString())
        .isEqualTo("1");
    assertThat(NodeHarness.await(web.get(port, "127.0.0.1", "/health/ready").send()).statusCode()).isEqualTo(200);
    assertThat(NodeHarness.await(web.get(port, "127.0.0.1", "/health/live").send()).statusCode()).isEqualTo(200);
    for (String path : new String[] {"/admin/info", "/admin/chaos/faults", "/hello"}) {
      HttpResponse<Buffer> r = NodeHarness.await(web.get(port, "127.0.0.1", path)
          .putHeader("Authorization", "Bearer secret-token").send());
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
    }
    // the admin listener keeps serving both
    assertThat(h.admin("/metrics", null).statusCode()).isEqualTo(200);
    assertThat(h.admin("/admin/info", "Bearer secret-token").statusCode()).isEqualTo(200);
  }

  @Test
  void itsPortMustDifferFromTheOthers() {
    try {
      TestConfigs.node("http.port=8181", "metrics.port=8181", "admin.port=9191");
      throw new AssertionError("expected a config error");
    } catch (ConfigException e) {
      assertThat(e.problems()).containsExactly("metrics.port: must differ from http.port (8181) and admin.port (9191)");
    }
  }
}
