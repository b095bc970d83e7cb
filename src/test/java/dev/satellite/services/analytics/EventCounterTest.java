package dev.satellite.services.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.spi.merge.MergingValue;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The counter kept per event name: idempotent apply, per-minute buckets on an injected time, split-brain merge. */
class EventCounterTest {

  private static final long T0 = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, EventCounter.MINUTE_MS);
  private static final long TTL = 600_000;

  private static Delta events(long ts, double... values) {
    Delta.Builder b = new Delta.Builder();
    for (double v : values) {
      b.add(v, ts);
    }
    return b.build();
  }

  @Test
  void aKeyIsAppliedOnceWithinItsTtlAndAgainAfterIt() {
    EventCounter c = new EventCounter();
    assertThat(c.apply(events(T0, 1, 2), "k1", T0, TTL, "m")).isTrue();
    assertThat(c.apply(events(T0, 1, 2), "k1", T0 + 1000, TTL, "m")).as("a replay").isFalse();
    assertThat(c.apply(events(T0, 5), null, T0 + 1000, TTL, "m")).as("no key: always applied").isTrue();
    assertThat(c.count()).isEqualTo(3);
    assertThat(c.sum()).isEqualTo(8.0);
    assertThat(c.apply(events(T0, 1), "k1", T0 + TTL, TTL, "m")).as("expired: a new request").isTrue();
    assertThat(c.count()).isEqualTo(4);
    assertThat(c.keysHeld()).isEqualTo(1);
  }

  @Test
  void expiredKeysAreForgottenSoTheirMemoryIsBounded() {
    EventCounter c = new EventCounter();
    for (int i = 0; i < 100; i++) {
      c.apply(events(T0, 1), "k" + i, T0 + i * 1000L, 10_000, "m");
    }
    assertThat(c.keysHeld()).isEqualTo(10);
  }

  @Test
  void perMinuteHasSixtyEntriesOldestFirstForTheLastHourOfTheInjectedClock() {
    EventCounter c = new EventCounter();
    c.apply(events(T0, 1, 1, 1), null, T0, TTL, "m");
    c.apply(events(T0 + 59_999, 1), null, T0, TTL, "m");
    c.apply(events(T0 + 60_000, 1), null, T0, TTL, "m");
    c.apply(events(T0 - 60 * EventCounter.MINUTE_MS, 1), null, T0, TTL, "m"); // an hour old: counted, in no bucket shown
    long[] now = c.perMinute(T0 + 60_000);
    assertThat(now).hasSize(60);
    assertThat(now[59]).isEqualTo(1);
    assertThat(now[58]).isEqualTo(4);
    assertThat(java.util.Arrays.stream(now).sum()).isEqualTo(5);
    long[] later = c.perMinute(T0 + 59 * EventCounter.MINUTE_MS); // T0's minute is the oldest still shown
    assertThat(later[0]).isEqualTo(4);
    assertThat(later[1]).isEqualTo(1);
    assertThat(c.perMinute(T0 + 61 * EventCounter.MINUTE_MS)).containsOnly(0L);
    assertThat(c.count()).isEqualTo(6);
  }

  @Test
  void aNewMinuteReusesTheSlotOfTheMinuteAnHourBefore() {
    EventCounter c = new EventCounter();
    c.apply(events(T0, 1, 1), null, T0, TTL, "m");
    c.apply(events(T0 + 60 * EventCounter.MINUTE_MS, 1), null, T0, TTL, "m");
    c.apply(events(T0, 1), null, T0, TTL, "m"); // late for its slot: kept in count, not in buckets
    long[] pm = c.perMinute(T0 + 60 * EventCounter.MINUTE_MS);
    assertThat(pm[59]).isEqualTo(1);
    assertThat(java.util.Arrays.stream(pm).sum()).isEqualTo(1);
    assertThat(c.count()).isEqualTo(4);
  }

  @Test
  void statsOfANameNeverCountedAreZeros() {
    JsonObject s = EventCounter.stats("signup", null, T0);
    assertThat(s.getLong("count")).isZero();
    assertThat(s.getJsonArray("perMinute")).hasSize(60);
  }

  /** Two sides of a split, each counting into its own owner's part from a common base: the merge keeps both. */
  @Test
  void mergeAfterASplitKeepsBothSidesIncrementsAndCountsTheCommonBaseOnce() throws Exception {
    EventCounter base = new EventCounter();
    base.apply(events(T0, 1, 1, 1), "before", T0, TTL, "owner-a");
    EventCounter sideA = copy(base);
    EventCounter sideB = copy(base);
    sideA.apply(events(T0, 1, 1), "a1", T0, TTL, "owner-a"); // A keeps its owner
    sideB.apply(events(T0, 10), "b1", T0, TTL, "owner-b");   // B promoted the backup on member b
    sideB.apply(events(T0, 10), "b2", T0, TTL, "owner-b");
    EventCounter merged = EventCounter.merge(sideA, sideB);
    assertThat(merged.count()).isEqualTo(3 + 2 + 2);
    assertThat(merged.sum()).isEqualTo(3 + 2 + 20.0);
    assertThat(merged.perMinute(T0)[59]).isEqualTo(7);
    assertThat(EventCounter.merge(sideB, sideA).count()).as("commutative").isEqualTo(7);
    assertThat(EventCounter.merge(merged, sideA).count()).as("idempotent").isEqualTo(7);
    assertThat(merged.apply(events(T0, 1), "b2", T0, TTL, "owner-a")).as("keys of both sides kept").isFalse();
    assertThat(merged.apply(events(T0, 1), "a1", T0, TTL, "owner-a")).isFalse();
  }

  @Test
  void theMergePolicyMergesTheTwoValuesItIsGiven() throws Exception {
    EventCounter a = new EventCounter();
    a.apply(events(T0, 1), null, T0, TTL, "x");
    EventCounter b = new EventCounter();
    b.apply(events(T0, 2, 2), null, T0, TTL, "y");
    CounterMergePolicy policy = new CounterMergePolicy();
    EventCounter merged = (EventCounter) policy.merge(value(a), value(b));
    assertThat(merged.count()).isEqualTo(3);
    assertThat(merged.sum()).isEqualTo(5.0);
    assertThat(((EventCounter) policy.merge(value(a), null)).count()).isEqualTo(1);
  }

  private static MergingValue<EventCounter> value(EventCounter c) {
    return new MergingValue<>() {
      @Override
      public EventCounter getValue() {
        return c;
      }

      @Override
      public Object getRawValue() {
        return c;
      }
    };
  }

  static EventCounter copy(EventCounter c) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (EventCounter) in.readObject();
    }
  }
}
