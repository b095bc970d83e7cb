package dev.satellite.services.analytics;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * How the counts map heals after a network split: the two copies of a name are merged with {@link EventCounter#merge},
 * which keeps every side's increments and counts none twice. Configured on the {@code satellite.analytics.*} maps by
 * class name; Hazelcast creates it on the member that merges.
 *
 * <p>Thread-safe: stateless.
 */
public final class CounterMergePolicy
    implements SplitBrainMergePolicy<EventCounter, MergingValue<EventCounter>, Object> {

  @Override
  public Object merge(MergingValue<EventCounter> mergingValue, MergingValue<EventCounter> existingValue) {
    EventCounter merging = mergingValue == null ? null : mergingValue.getValue();
    EventCounter existing = existingValue == null ? null : existingValue.getValue();
    return EventCounter.merge(merging, existing);
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // stateless
  }

  @Override
  public void readData(ObjectDataInput in) {
    // stateless
  }
}
