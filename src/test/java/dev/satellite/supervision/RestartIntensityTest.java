package dev.satellite.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartIntensityTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void givesUpOnTheCrashThatExceedsMaxRestartsWithinThePeriod() {
    RestartIntensity intensity = new RestartIntensity(3, Duration.ofSeconds(10));
    assertThat(intensity.exceededAfterCrash(T0)).isFalse();
    assertThat(intensity.exceededAfterCrash(T0.plusSeconds(1))).isFalse();
    assertThat(intensity.exceededAfterCrash(T0.plusSeconds(2))).isFalse();
    assertThat(intensity.exceededAfterCrash(T0.plusSeconds(3))).isTrue();
  }

  @Test
  void crashesOlderThanThePeriodAreForgotten() {
    RestartIntensity intensity = new RestartIntensity(2, Duration.ofSeconds(10));
    intensity.exceededAfterCrash(T0);
    intensity.exceededAfterCrash(T0.plusSeconds(5));
    // the first crash is exactly one period old: it no longer counts
    assertThat(intensity.exceededAfterCrash(T0.plusSeconds(10))).isFalse();
    assertThat(intensity.recent(T0.plusSeconds(10))).isEqualTo(2);
    assertThat(intensity.recent(T0.plusSeconds(30))).isZero();
  }

  @Test
  void zeroMaxRestartsGivesUpOnTheFirstCrash() {
    assertThat(new RestartIntensity(0, Duration.ofSeconds(1)).exceededAfterCrash(T0)).isTrue();
  }

  @Test
  void aSteadyCrashLoopGivesUpWithTheDefaultsWithinTenSeconds() {
    // defaults: 5 restarts in 10 s; one crash every 1.9 s (the worst case the backoff cap of 2 s allows)
    RestartIntensity intensity = new RestartIntensity(5, Duration.ofSeconds(10));
    Instant t = T0;
    int crashes = 0;
    while (!intensity.exceededAfterCrash(t)) {
      crashes++;
      t = t.plusMillis(1900);
    }
    assertThat(Duration.between(T0, t)).isLessThan(Duration.ofSeconds(10));
    assertThat(crashes).isEqualTo(5);
  }
}
