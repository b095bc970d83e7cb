package dev.satellite.experiment.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadPlanTest {

  private static final List<URI> TARGET = List.of(URI.create("http://127.0.0.1:8080/hello"));

  @Test
  void refusesWhatCannotBeRun() {
    assertThatThrownBy(() -> new LoadPlan(0, Duration.ofSeconds(1), TARGET, 1, Duration.ofSeconds(1)))
        .hasMessageContaining("ratePerSecond");
    assertThatThrownBy(() -> new LoadPlan(Double.NaN, Duration.ofSeconds(1), TARGET, 1, Duration.ofSeconds(1)))
        .hasMessageContaining("ratePerSecond");
    assertThatThrownBy(() -> new LoadPlan(10, Duration.ZERO, TARGET, 1, Duration.ofSeconds(1)))
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> new LoadPlan(10, Duration.ofSeconds(1), List.of(), 1, Duration.ofSeconds(1)))
        .hasMessageContaining("targets");
    assertThatThrownBy(() -> new LoadPlan(10, Duration.ofSeconds(1), List.of(URI.create("/relative")), 1,
        Duration.ofSeconds(1))).hasMessageContaining("http://");
    assertThatThrownBy(() -> new LoadPlan(10, Duration.ofSeconds(1), TARGET, 0, Duration.ofSeconds(1)))
        .hasMessageContaining("connections");
    assertThatThrownBy(() -> new LoadPlan(10, Duration.ofSeconds(1), TARGET, 1, Duration.ofMillis(-1)))
        .hasMessageContaining("requestTimeout");
  }

  @Test
  void boundsRequestsInFlightByWhatTheRateKeepsOutstandingForATimeout() {
    assertThat(new LoadPlan(200, Duration.ofSeconds(5), TARGET, 8, Duration.ofSeconds(1)).maxInFlight()).isEqualTo(400);
    assertThat(new LoadPlan(1, Duration.ofSeconds(5), TARGET, 8, Duration.ofSeconds(1)).maxInFlight()).isEqualTo(8);
    assertThat(new LoadPlan(1e6, Duration.ofSeconds(5), TARGET, 8, Duration.ofSeconds(10)).maxInFlight())
        .isEqualTo(LoadPlan.MAX_IN_FLIGHT_LIMIT);
  }

  @Test
  void keepsAnImmutableCopyOfTheTargets() {
    var targets = new ArrayList<>(TARGET);
    LoadPlan plan = new LoadPlan(10, Duration.ofSeconds(1), targets, 1, Duration.ofSeconds(1));
    targets.clear();

    assertThat(plan.targets()).hasSize(1);
  }
}
