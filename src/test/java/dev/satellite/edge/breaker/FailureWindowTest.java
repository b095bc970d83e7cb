package dev.satellite.edge.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureWindowTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final FailureWindow window = new FailureWindow(3, TimeUnit.SECONDS.toNanos(10), now::get);

  private void advance(long seconds) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void tripsOnTheNthFailureWithinTheWindow() {
    assertThat(window.failed()).isFalse();
    advance(1);
    assertThat(window.failed()).isFalse();
    advance(1);
    assertThat(window.failed()).isTrue();
    assertThat(window.recent()).isEqualTo(3);
  }

  @Test
  void failuresSpreadWiderThanTheWindowDoNotTrip() {
    window.failed();
    advance(6);
    window.failed();
    advance(6); // the first is 12 s old now
    assertThat(window.failed()).isFalse();
    assertThat(window.recent()).isEqualTo(2);
    advance(1);
    assertThat(window.failed()).as("the last three are within 7 s").isTrue();
  }

  @Test
  void aSuccessStartsTheCountAgain() {
    window.failed();
    window.failed();
    window.succeeded();
    assertThat(window.recent()).isZero();
    window.failed();
    assertThat(window.failed()).isFalse();
    assertThat(window.failed()).isTrue();
  }
}
