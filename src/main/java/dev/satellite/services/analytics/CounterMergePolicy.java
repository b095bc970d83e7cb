package dev.satellite.services.analytics;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * How the counts map heals after a network split: the two copies of a name are merged with {@link Counter#merge},
 * which keeps every side's increments and counts none twice. Configured on the {@code satellite.analytics.*} maps by
 * class name; Hazelcast creates it on the member that merges.
 *
 * <p>Thread-safe: stateless.
 */
public final class CounterMergePolicy implements SplitBrainMergePolicy<Counter, MergingValue<Counter>, Object> {

  @Override
  public Object merge(MergingValue<Counter> mergingValue, MergingValue<Counter> existingValue) {
    Counter merging = mergingValue == null ? null : mergingValue.getValue();
    Counter existing = existingValue == null ? null : existingValue.getValue();
    return Counter.merge(merging, existing);
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
