package dev.satellite.experiment.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadWindowTest {

  @Test
  void itsJsonHasExactlyTheContractKeys() {
    LoadWindow window = new LoadWindow(10, 8, 2, Map.of("200", 8L, "timeout", 2L), 4.0, 0.2, 1.5, 30.0, 31.0);

    JsonObject json = window.toJson();

    assertThat(json.fieldNames())
        .containsExactlyInAnyOrder("sent", "ok", "errors", "byStatus", "throughput", "errorRate", "p50", "p99", "max");
    assertThat(json.getLong("sent")).isEqualTo(10);
    assertThat(json.getLong("ok")).isEqualTo(8);
    assertThat(json.getLong("errors")).isEqualTo(2);
    assertThat(json.getJsonObject("byStatus").getMap()).containsEntry("200", 8L).containsEntry("timeout", 2L);
    assertThat(json.getDouble("throughput")).isEqualTo(4.0);
    assertThat(json.getDouble("errorRate")).isEqualTo(0.2);
    assertThat(json.getDouble("p50")).isEqualTo(1.5);
    assertThat(json.getDouble("p99")).isEqualTo(30.0);
    assertThat(json.getDouble("max")).isEqualTo(31.0);
  }

  @Test
  void theEmptyWindowIsAllZeros() {
    assertThat(LoadWindow.EMPTY.toJson().encode()).isEqualTo(
        "{\"sent\":0,\"ok\":0,\"errors\":0,\"byStatus\":{},\"throughput\":0.0,\"errorRate\":0.0,"
            + "\"p50\":0.0,\"p99\":0.0,\"max\":0.0}");
  }
}
