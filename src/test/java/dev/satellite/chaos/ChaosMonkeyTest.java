package dev.satellite.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosMonkeyTest {

  /** A registry with instances a#0..a#2 and b#0..b#1 that record being crashed into {@code log}. */
  private static FaultRegistry withVictims(List<String> log) {
    FaultRegistry faults = new FaultRegistry(Clock.systemUTC());
    for (String actor : List.of("a", "b")) {
      for (int i = 0; i < (actor.equals("a") ? 3 : 2); i++) {
        faults.enlist(new TestVictim(actor, i, log));
      }
    }
    return faults;
  }

  private static List<String> day(long seed, List<String> targets, int strikes) {
    List<String> log = new ArrayList<>();
    ChaosMonkey monkey = new ChaosMonkey(withVictims(log), 60, targets, seed, s -> { });
    long total = monkey.nextDelayMs();
    for (int i = 0; i < strikes; i++) {
      total += monkey.strike();
    }
    log.add("waited " + total);
    return log;
  }

  @Test
  void theSameSeedCrashesTheSameInstancesAtTheSameTimes() {
    assertThat(day(99, List.of(), 50)).isEqualTo(day(99, List.of(), 50));
    assertThat(day(99, List.of(), 50)).isNotEqualTo(day(100, List.of(), 50));
  }

  @Test
  void itCrashesOnlyItsTargetsAndSpreadsOverTheirInstances() {
    List<String> log = day(5, List.of("b"), 200);
    log.remove(log.size() - 1);
    assertThat(log).hasSize(200).containsOnly("b#0", "b#1").contains("b#0", "b#1");
  }

  @Test
  void crashesArriveAtTheConfiguredMeanRate() {
    ChaosMonkey monkey = new ChaosMonkey(new FaultRegistry(Clock.systemUTC()), 30, List.of(), 1, s -> { });
    long total = 0;
    for (int i = 0; i < 10_000; i++) {
      long gap = monkey.nextDelayMs();
      assertThat(gap).as("between half and one and a half times the mean gap").isBetween(1000L, 3000L);
      total += gap;
    }
    assertThat(total / 10_000.0).as("mean wait at 30 a minute is 2000 ms").isBetween(1950.0, 2050.0);
    assertThatThrownBy(() -> new ChaosMonkey(new FaultRegistry(Clock.systemUTC()), 0, List.of(), 1, s -> { }))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withNobodyServingItCrashesNothingAndWaitsAgain() {
    List<ChaosMonkey.Strike> strikes = new ArrayList<>();
    ChaosMonkey monkey = new ChaosMonkey(new FaultRegistry(Clock.systemUTC()), 60, List.of(), 1, strikes::add);
    assertThat(monkey.strike()).isPositive();
    assertThat(strikes).isEmpty();
  }
}
