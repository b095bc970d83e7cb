package dev.satellite.services.analytics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Serial;
import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one event name, as kept in the store (one map entry per name): a <em>part</em> per cluster member
 * that ever applied events to it, and the {@code Idempotency-Key}s applied to it within their time to live.
 *
 * <p>Why parts: a part is only ever changed by the member that owns the name's partition when it applies a batch
 * (its id is that member's), so two copies of one part differ only in how far they got, and the one with the higher
 * count has seen everything the other has. After a network split both sides go on counting, each into the part of
 * its own owner member; the merge ({@link #merge}) keeps, part by part, the copy that got further, and adds nothing
 * twice: no side's increments are lost (a grow-only counter, G-EventCounter, in CRDT terms).
 *
 * <p>Why the keys live here: the check "was this key applied to this name already" and the increment it guards are
 * one atomic step on the owning partition ({@link #apply}), so a batch cut short by a dying node and retried anywhere
 * is completed name by name, never doubled or dropped.
 *
 * <p>Not thread-safe: changed only inside an entry processor (or, standalone, under the map's per-key lock).
 */
public final class EventCounter implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;
  public static final int MINUTES = 60;
  public static final long MINUTE_MS = 60_000;

  private final TreeMap<String, Part> parts = new TreeMap<>();
  /** Idempotency key → when it expires (ms); in insertion order, so the oldest are pruned first. */
  private final LinkedHashMap<String, Long> keys = new LinkedHashMap<>();

  /** One member's share: its count, sum and per-minute counts (a ring of {@value #MINUTES} slots). */
  static final class Part implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    long count;
    double sum;
    final long[] slotMinute = new long[MINUTES];
    final long[] slotCount = new long[MINUTES];

    Part() {
      java.util.Arrays.fill(slotMinute, Long.MIN_VALUE);
    }

    void add(Delta d) {
      count += d.count();
      sum += d.sum();
      for (int i = 0; i < d.buckets(); i++) {
        long minute = d.minute(i);
        int slot = (int) Math.floorMod(minute, MINUTES);
        if (slotMinute[slot] == minute) {
          slotCount[slot] += d.countAt(i);
        } else if (slotMinute[slot] < minute) { // the slot held an older minute, now out of the window
          slotMinute[slot] = minute;
          slotCount[slot] = d.countAt(i);
        } // else: older than the minute the slot holds, so older than any window it can still be shown in
      }
    }

    Part copy() {
      Part p = new Part();
      p.count = count;
      p.sum = sum;
      System.arraycopy(slotMinute, 0, p.slotMinute, 0, MINUTES);
      System.arraycopy(slotCount, 0, p.slotCount, 0, MINUTES);
      return p;
    }
  }

  /**
   * Applies {@code delta} as member {@code member}, unless {@code key} (may be null) was applied already and has not
   * expired; expired keys are forgotten on the way.
   *
   * @return true if applied, false if it was a replay
   */
  public boolean apply(Delta delta, String key, long now, long ttlMs, String member) {
    prune(now);
    if (key != null && keys.containsKey(key)) {
      return false;
    }
    parts.computeIfAbsent(member, m -> new Part()).add(delta);
    if (key != null) {
      keys.put(key, now + ttlMs);
    }
    return true;
  }

  private void prune(long now) {
    Iterator<Long> it = keys.values().iterator();
    while (it.hasNext() && it.next() <= now) {
      it.remove();
    }
  }

  public long count() {
    long c = 0;
    for (Part p : parts.values()) {
      c += p.count;
    }
    return c;
  }

  public double sum() {
    double s = 0;
    for (Part p : parts.values()) {
      s += p.sum;
    }
    return s;
  }

  /** Events per minute for the {@value #MINUTES} minutes up to and including the one of {@code now}, oldest first. */
  public long[] perMinute(long now) {
    long last = Math.floorDiv(now, MINUTE_MS);
    long[] out = new long[MINUTES];
    for (Part p : parts.values()) {
      for (int slot = 0; slot < MINUTES; slot++) {
        long minute = p.slotMinute[slot];
        if (minute <= last && minute > last - MINUTES) {
          out[(int) (MINUTES - 1 - (last - minute))] += p.slotCount[slot];
        }
      }
    }
    return out;
  }

  /** Idempotency keys remembered (not yet pruned). */
  int keysHeld() {
    return keys.size();
  }

  int parts() {
    return parts.size();
  }

  /** {@code {"name","count","sum","perMinute":[60 entries, oldest first]}}; a null counter is all zeros. */
  public static JsonObject stats(String name, EventCounter c, long now) {
    JsonArray minutes = new JsonArray();
    if (c == null) {
      for (int i = 0; i < MINUTES; i++) {
        minutes.add(0L);
      }
      return new JsonObject().put("name", name).put("count", 0L).put("sum", 0.0).put("perMinute", minutes);
    }
    for (long n : c.perMinute(now)) {
      minutes.add(n);
    }
    return new JsonObject().put("name", name).put("count", c.count()).put("sum", c.sum()).put("perMinute", minutes);
  }

  /**
   * The two copies of one name's counter brought together after a split: part by part the copy that counted more
   * (each part grows on one side only, so the other copy is an earlier state of it), and every key either remembers,
   * with the later expiry. Commutative, associative and idempotent; neither argument is changed.
   */
  public static EventCounter merge(EventCounter a, EventCounter b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    EventCounter m = new EventCounter();
    for (Map.Entry<String, Part> e : a.parts.entrySet()) {
      m.parts.put(e.getKey(), e.getValue().copy());
    }
    for (Map.Entry<String, Part> e : b.parts.entrySet()) {
      Part mine = m.parts.get(e.getKey());
      if (mine == null || further(e.getValue(), mine)) {
        m.parts.put(e.getKey(), e.getValue().copy());
      }
    }
    m.keys.putAll(a.keys);
    b.keys.forEach((k, expiry) -> m.keys.merge(k, expiry, Math::max));
    return m;
  }

  /** Whether {@code x} is the later state of one part than {@code y} (a tie is decided the same way on every side). */
  private static boolean further(Part x, Part y) {
    if (x.count != y.count) {
      return x.count > y.count;
    }
    return Double.compare(x.sum, y.sum) > 0;
  }
}
