package dev.satellite.services.analytics;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.Map;

/**
 * The entry processor that adds one request's events to one name, atomically on the partition that owns it: the
 * idempotency check and the increment are one step ({@link EventCounter#apply}). It runs first on the owner, which
 * fills in its own member id as the part to count into, then — the same object, that id fixed — on the synchronous
 * backup, so both copies end up identical. Returns whether it applied ({@code false}: the key was seen, a replay).
 *
 * <p>Not thread-safe: one per call; Hazelcast runs it on the partition thread.
 */
final class AddEvents implements EntryProcessor<String, EventCounter, Boolean>, HazelcastInstanceAware {

  @Serial
  private static final long serialVersionUID = 1L;

  private final Delta delta;
  private final String key;
  private final long now;
  private final long ttlMs;
  /** The member that owned the entry when it was applied; set on the owner, carried to the backup. */
  private String member;
  private transient HazelcastInstance hazelcast;

  AddEvents(Delta delta, String key, long now, long ttlMs) {
    this.delta = delta;
    this.key = key;
    this.now = now;
    this.ttlMs = ttlMs;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
    this.hazelcast = hazelcastInstance;
  }

  @Override
  public Boolean process(Map.Entry<String, EventCounter> entry) {
    if (member == null) {
      member = hazelcast.getCluster().getLocalMember().getUuid().toString();
    }
    EventCounter counter = entry.getValue() == null ? new EventCounter() : entry.getValue();
    boolean applied = counter.apply(delta, key, now, ttlMs, member);
    if (applied) {
      entry.setValue(counter);
    }
    return applied;
  }

  @Override
  public EntryProcessor<String, EventCounter, Boolean> getBackupProcessor() {
    return this;
  }
}
