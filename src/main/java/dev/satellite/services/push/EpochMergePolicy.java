package dev.satellite.services.push;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * How the topics' epochs heal after a network split. A topic both sides knew gets a fresh epoch: each side may have
 * appended to its own copy of the history under the old one, and only one copy survives the merge (the ringbuffers'
 * put-if-absent policy keeps the larger side's), so sequences one side handed out may now name other messages. A new
 * epoch turns every id from before the merge into an explicit {@code reset} ({@code epoch-changed}) for the
 * subscriber that resumes with it, instead of a silent skip or a wrong message. A topic only one side knew keeps its
 * epoch. Configured on {@code satellite.push.epochs} by class name; Hazelcast creates it on the member that merges.
 *
 * <p>Thread-safe: stateless.
 */
public final class EpochMergePolicy implements SplitBrainMergePolicy<String, MergingValue<String>, Object> {

  @Override
  public Object merge(MergingValue<String> mergingValue, MergingValue<String> existingValue) {
    String merging = mergingValue == null ? null : mergingValue.getValue();
    String existing = existingValue == null ? null : existingValue.getValue();
    if (existing == null) {
      return merging;
    }
    if (merging == null) {
      return existing;
    }
    return PushStore.newEpoch();
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
