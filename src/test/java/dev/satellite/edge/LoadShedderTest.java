package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadShedderTest {

  @Test
  void shedsAboveTheInFlightLimitAndRecoversAsRequestsEnd() {
    LoadShedder shedder = new LoadShedder(2, Duration.ZERO, 1);
    assertThat(shedder.tryEnter()).isTrue();
    assertThat(shedder.tryEnter()).isTrue();
    assertThat(shedder.tryEnter()).isFalse();
    assertThat(shedder.shedding()).isTrue();
    assertThat(shedder.inFlight()).isEqualTo(2);
    shedder.exit();
    assertThat(shedder.tryEnter()).isTrue();
    assertThat(shedder.shedCount()).isEqualTo(1);
  }

  @Test
  void shedsWhileAnyLoopRunsLaterThanTheLimitAtTwoProbesInARow() {
    LoadShedder shedder = new LoadShedder(1000, Duration.ofMillis(200), 2);
    shedder.reportLoopDelay(0, Duration.ofMillis(50).toNanos());
    shedder.reportLoopDelay(1, Duration.ofMillis(199).toNanos());
    shedder.reportLoopDelay(1, Duration.ofMillis(199).toNanos());
    assertThat(shedder.tryEnter()).isTrue();
    shedder.reportLoopDelay(1, Duration.ofMillis(201).toNanos());
    assertThat(shedder.tryEnter()).as("one late probe: a stall that is over").isTrue();
    assertThat(shedder.shedding()).isFalse();
    assertThat(shedder.maxLoopDelayMs()).isEqualTo(201.0);
    shedder.reportLoopDelay(1, Duration.ofMillis(250).toNanos());
    assertThat(shedder.tryEnter()).as("late again: the loop is saturated").isFalse();
    assertThat(shedder.shedding()).isTrue();
    shedder.reportLoopDelay(1, Duration.ofMillis(3).toNanos());
    assertThat(shedder.tryEnter()).as("on time again").isTrue();
    assertThat(shedder.shedCount()).isEqualTo(1);
  }

  @Test
  void lateProbesOfDifferentLoopsDoNotAddUp() {
    LoadShedder shedder = new LoadShedder(1000, Duration.ofMillis(200), 2);
    shedder.reportLoopDelay(0, Duration.ofMillis(300).toNanos());
    shedder.reportLoopDelay(1, Duration.ofMillis(300).toNanos());
    assertThat(shedder.tryEnter()).isTrue();
    shedder.reportLoopDelay(0, Duration.ofMillis(10).toNanos());
    shedder.reportLoopDelay(1, Duration.ofMillis(300).toNanos());
    assertThat(shedder.tryEnter()).as("loop 1 late twice").isFalse();
  }

  @Test
  void aZeroDelayLimitSwitchesDelaySheddingOff() {
    LoadShedder shedder = new LoadShedder(1000, Duration.ZERO, 1);
    shedder.reportLoopDelay(0, Duration.ofSeconds(5).toNanos());
    assertThat(shedder.tryEnter()).isTrue();
  }
}
