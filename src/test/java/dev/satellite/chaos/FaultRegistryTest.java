package dev.satellite.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

  private static final FaultSpec.Catalog CATALOG = FaultSpec.Catalog.of(Set.of("hello"), Set.of("hello", "proxy"),
      Set.of("proxy"));

  private static FaultSpec spec(String json) {
    return FaultSpec.parse(new JsonObject(json), CATALOG);
  }

  private static final class Recorder implements FaultListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void injected(Fault fault) {
      events.add("injected " + fault.id());
    }

    @Override
    public void reverted(Fault fault, Reverted why) {
      events.add("reverted " + fault.id() + " " + why.label());
    }
  }

  @Test
  void theSameSeedMakesTheSameChoicesMessageForMessage() {
    FaultRegistry a = new FaultRegistry(new FakeClock());
    FaultRegistry b = new FaultRegistry(new FakeClock());
    a.inject(spec("{\"type\":\"error\",\"target\":\"route:hello\",\"status\":503,\"probability\":0.3,\"seed\":42}"));
    b.inject(spec("{\"type\":\"error\",\"target\":\"route:hello\",\"status\":503,\"probability\":0.3,\"seed\":42}"));
    List<Integer> first = new ArrayList<>();
    List<Integer> second = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      first.add(a.error(FaultTarget.route("hello")));
      second.add(b.error(FaultTarget.route("hello")));
    }
    assertThat(first).isEqualTo(second);
    long hits = first.stream().filter(s -> s == 503).count();
    assertThat(hits).as("about 30 %% of 1000").isBetween(240L, 360L);
    assertThat(first).containsOnly(0, 503);
  }

  @Test
  void aDrawnSeedIsReportedAndRepeatsTheRunWhenGivenBack() {
    FaultRegistry a = new FaultRegistry(new FakeClock());
    Fault drawn = a.inject(spec("{\"type\":\"latency\",\"target\":\"actor:hello\",\"delayMs\":10,\"jitterMs\":90,\"probability\":0.5}"));
    FaultRegistry b = new FaultRegistry(new FakeClock());
    b.inject(drawn.spec().withSeed(drawn.seed()));
    for (int i = 0; i < 200; i++) {
      long da = a.delayMs(FaultTarget.actor("hello"));
      assertThat(b.delayMs(FaultTarget.actor("hello"))).isEqualTo(da);
      assertThat(da == -1 || (da >= 10 && da <= 100)).as("no delay, or 10 ms plus up to 90 ms: %d", da).isTrue();
    }
    assertThat(drawn.toJson(T0).getLong("seed")).isEqualTo(drawn.seed());
  }

  @Test
  void latencyAndErrorsAreAimedAtTheirTargetOnly() {
    FaultRegistry faults = new FaultRegistry(new FakeClock());
    faults.inject(spec("{\"type\":\"latency\",\"target\":\"upstream:proxy\",\"delayMs\":250}"));
    faults.inject(spec("{\"type\":\"error\",\"target\":\"hello\",\"code\":-7}"));
    assertThat(faults.delayMs(FaultTarget.upstream("proxy"))).isEqualTo(250);
    assertThat(faults.delayMs(FaultTarget.route("proxy"))).isEqualTo(-1);
    assertThat(faults.error(FaultTarget.actor("hello"))).isEqualTo(-7);
    assertThat(faults.error(FaultTarget.route("hello"))).isZero();
  }

  @Test
  void deletingAllRevertsEveryFaultAndTellsTheListenerOnce() {
    FaultRegistry faults = new FaultRegistry(new FakeClock());
    Recorder heard = new Recorder();
    faults.listen(heard);
    Fault one = faults.crash("hello", 3);
    Fault two = faults.inject(spec("{\"type\":\"latency\",\"target\":\"route:proxy\",\"delayMs\":5}"));
    assertThat(faults.removeAll()).extracting(Fault::id).containsExactly(one.id(), two.id());
    assertThat(faults.active()).isEmpty();
    assertThat(faults.takeCrash("hello")).isFalse();
    assertThat(faults.delayMs(FaultTarget.route("proxy"))).isEqualTo(-1);
    assertThat(faults.removeAll()).isEmpty();
    assertThat(heard.events).containsExactly("injected f1", "injected f2", "reverted f1 deleted", "reverted f2 deleted");
  }

  @Test
  void aFaultStopsActingAtItsEndAndIsReportedExpiredBySweep() {
    FakeClock clock = new FakeClock();
    FaultRegistry faults = new FaultRegistry(clock);
    Recorder heard = new Recorder();
    faults.listen(heard);
    faults.inject(spec("{\"type\":\"error\",\"target\":\"route:hello\",\"status\":500,\"durationMs\":1000}"));
    Fault crash = faults.crash("hello", 1);
    clock.now = T0.plusMillis(999);
    assertThat(faults.error(FaultTarget.route("hello"))).isEqualTo(500);
    assertThat(faults.active().get(0).toJson(clock.now).getLong("remainingMs")).isEqualTo(1);
    assertThat(faults.takeCrash("hello")).isTrue();
    faults.revertExpired();
    assertThat(heard.events).containsExactly("injected f1", "injected f2", "reverted " + crash.id() + " spent");
    clock.now = T0.plusMillis(1000);
    assertThat(faults.error(FaultTarget.route("hello"))).as("off at its end, before any sweep").isZero();
    faults.revertExpired();
    assertThat(heard.events).endsWith("reverted f1 expired");
  }

  @Test
  void nodeFaultsStartTheirEffectAndStopItWhenReverted() {
    FaultRegistry faults = new FaultRegistry(new FakeClock());
    List<String> effects = new ArrayList<>();
    faults.effects(f -> {
      effects.add("start " + f.type().label());
      f.onRevert(() -> effects.add("stop " + f.type().label()));
    });
    Fault burn = faults.inject(spec("{\"type\":\"cpu-burn\",\"threads\":2,\"durationMs\":5000}"));
    assertThat(burn.target()).isEqualTo(FaultTarget.NODE);
    assertThat(faults.remove(burn.id())).isTrue();
    assertThat(burn.reverted()).isTrue();
    assertThat(effects).containsExactly("start cpu-burn", "stop cpu-burn");
    assertThatThrownBy(() -> new FaultRegistry(new FakeClock()).inject(spec("{\"type\":\"exit\"}")))
        .as("a registry without effects refuses node faults").isInstanceOf(IllegalStateException.class);
  }

  @Test
  void victimsAreListedInAStableOrderAndFilteredByActor() {
    FaultRegistry faults = new FaultRegistry(new FakeClock());
    Victim b1 = victim("b", 1);
    Victim a2 = victim("a", 2);
    Victim a0 = victim("a", 0);
    faults.enlist(b1);
    faults.enlist(a2);
    faults.enlist(a0);
    assertThat(faults.victims(List.of())).containsExactly(a0, a2, b1);
    assertThat(faults.victims(List.of("b"))).containsExactly(b1);
    faults.discharge(a2);
    assertThat(faults.victims(List.of("a"))).containsExactly(a0);
    FaultRegistry.DISABLED.enlist(b1);
    assertThat(FaultRegistry.DISABLED.victims(List.of())).isEmpty();
  }

  static Victim victim(String actor, int instance) {
    return new TestVictim(actor, instance, new ArrayList<>());
  }
}
