package dev.satellite.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.SupervisorSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final SupervisorSpec.Backoff SPEC =
      new SupervisorSpec.Backoff(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(30), 0.0);

  @Test
  void firstRestartIsImmediateThenDoublesUpToTheCap() {
    RestartBackoff backoff = new RestartBackoff(SPEC, () -> 0.5);
    List<Long> delays = new ArrayList<>();
    Instant t = T0;
    for (int i = 0; i < 7; i++) {
      delays.add(backoff.onCrash(t, t.minusMillis(5)).toMillis());
      t = t.plusMillis(200);
    }
    assertThat(delays).containsExactly(0L, 10L, 20L, 40L, 80L, 100L, 100L);
  }

  @Test
  void resetsAfterTheChildRanLongEnough() {
    RestartBackoff backoff = new RestartBackoff(SPEC, () -> 0.5);
    backoff.onCrash(T0, T0);
    backoff.onCrash(T0.plusSeconds(1), T0.plusMillis(500));
    assertThat(backoff.onCrash(T0.plusSeconds(2), T0.plusMillis(1500)).toMillis()).isEqualTo(20);
    // this instance ran 30 s: the count starts over and the restart is immediate again
    Instant crash = T0.plusSeconds(40);
    assertThat(backoff.onCrash(crash, crash.minusSeconds(30))).isZero();
    assertThat(backoff.onCrash(crash.plusMillis(1), crash)).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void anInstanceThatNeverRanDoesNotResetTheCount() {
    RestartBackoff backoff = new RestartBackoff(SPEC, () -> 0.5);
    backoff.onCrash(T0, T0);
    assertThat(backoff.onCrash(T0.plusSeconds(60), null)).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void jitterShortensTheDelayByUpToItsFraction() {
    SupervisorSpec.Backoff jittery = new SupervisorSpec.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
    RestartBackoff low = new RestartBackoff(jittery, () -> 0.0);
    RestartBackoff high = new RestartBackoff(jittery, () -> 0.999);
    low.onCrash(T0, T0);
    high.onCrash(T0, T0);
    assertThat(low.onCrash(T0.plusMillis(1), T0)).isEqualTo(Duration.ofMillis(100));
    assertThat(high.onCrash(T0.plusMillis(1), T0)).isEqualTo(Duration.ofMillis(80));
    assertThat(high.last()).isEqualTo(Duration.ofMillis(80));
  }

  @Test
  void largeCountsDoNotOverflow() {
    RestartBackoff backoff = new RestartBackoff(SPEC, () -> 0.5);
    Duration d = Duration.ZERO;
    for (int i = 0; i < 200; i++) {
      d = backoff.onCrash(T0.plusMillis(i), T0);
    }
    assertThat(d).isEqualTo(Duration.ofMillis(100));
  }
}
