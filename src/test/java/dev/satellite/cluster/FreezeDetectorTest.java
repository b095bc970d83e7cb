package dev.satellite.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FreezeDetectorTest {

  @Test
  void aGapLongerThanMaxPauseBetweenTwoWakeUpsIsReportedOnce() {
    FakeClock clock = new FakeClock();
    List<String> reports = new CopyOnWriteArrayList<>();
    FreezeDetector detector = new FreezeDetector(Duration.ofSeconds(4), clock, reports::add);
    for (int i = 0; i < 50; i++) {
      clock.advanceMillis(100);
      assertThat(detector.tick(clock.getAsLong())).isFalse();
    }
    clock.advanceMillis(3_900); // a long GC pause, still under the limit
    assertThat(detector.tick(clock.getAsLong())).isFalse();
    clock.advance(Duration.ofSeconds(9)); // SIGSTOP for 9 s
    assertThat(detector.tick(clock.getAsLong())).isTrue();
    assertThat(reports).singleElement().asString().startsWith("the process was frozen for 9000 ms (limit 4000 ms)");
    clock.advance(Duration.ofSeconds(9));
    assertThat(detector.tick(clock.getAsLong())).as("reported once: the node is on its way out").isFalse();
    assertThat(reports).hasSize(1);
  }
}
