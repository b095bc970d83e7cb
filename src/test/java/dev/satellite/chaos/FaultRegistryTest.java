package dev.satellite.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FaultRegistryTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final class FakeClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void crashFaultFiresExactlyCountTimesThenDisappears() {
    FaultRegistry faults = new FaultRegistry(new FakeClock());
    Fault f = faults.crash("hello", 2);
    assertThat(faults.takeCrash("other")).isFalse();
    assertThat(faults.takeCrash("hello")).isTrue();
    assertThat(faults.active()).extracting(Fault::id).containsExactly(f.id());
    assertThat(faults.takeCrash("hello")).isTrue();
    assertThat(faults.takeCrash("hello")).isFalse();
    assertThat(faults.active()).isEmpty();
  }

  @Test
  void hangLastsItsDurationOnTheFakeClock() {
    FakeClock clock = new FakeClock();
    FaultRegistry faults = new FaultRegistry(clock);
    faults.hang("hello", Duration.ofMillis(500));
    assertThat(faults.hangUntil("hello")).contains(T0.plusMillis(500));
    clock.now = T0.plusMillis(499);
    assertThat(faults.hangUntil("hello")).isPresent();
    clock.now = T0.plusMillis(500);
    assertThat(faults.hangUntil("hello")).isEmpty();
    assertThat(faults.active()).isEmpty();
  }

  @Test
  void crashFaultsExpire() {
    FakeClock clock = new FakeClock();
    FaultRegistry faults = new FaultRegistry(clock);
    faults.crash("hello", 5);
    clock.now = T0.plus(FaultRegistry.CRASH_FAULT_TTL);
    assertThat(faults.takeCrash("hello")).isFalse();
  }

  @Test
  void removeById() {
    FaultRegistry faults = new FaultRegistry(new FakeClock());
    Fault f = faults.crash("hello", 5);
    assertThat(faults.remove("nope")).isFalse();
    assertThat(faults.remove(f.id())).isTrue();
    assertThat(faults.takeCrash("hello")).isFalse();
  }

  @Test
  void disabledRegistryAcceptsNothing() {
    assertThat(FaultRegistry.DISABLED.enabled()).isFalse();
    assertThat(FaultRegistry.DISABLED.takeCrash("hello")).isFalse();
    assertThatThrownBy(() -> FaultRegistry.DISABLED.crash("hello", 1)).isInstanceOf(IllegalStateException.class);
  }
}
