package dev.satellite.services.push;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The histories of a clustered node: one Hazelcast {@link Ringbuffer} per topic, named
 * {@code satellite.push.<topic>@<topic>} (capacity {@code push.historySize}, one synchronous backup: see
 * {@code cluster.HazelcastConfigs}), and the topic's epoch in the map {@code satellite.push.epochs} under the key
 * {@code <topic>}. The {@code @<topic>} suffix puts the ringbuffer on the partition of the key {@code <topic>}, so the
 * history and its epoch live and die together: when both replicas of that partition are lost, the next append
 * or read finds no epoch, makes a fresh one, and starts a fresh (empty) ringbuffer under it — ids of the lost history
 * never match the new one.
 *
 * <p>Thread-safe. Only asynchronous Hazelcast calls; futures complete on the context given.
 */
final class HazelcastPushStore implements PushStore {

  static final String EPOCHS = "satellite.push.epochs";
  static final String RINGBUFFER_PREFIX = "satellite.push.";

  private final HazelcastInstance hazelcast;
  private final IMap<String, String> epochs;
  private final int capacity;

  /** @param capacity the ringbuffers' capacity ({@code push.historySize}): no read may ask for more */
  HazelcastPushStore(HazelcastInstance hazelcast, int capacity) {
    this.hazelcast = hazelcast;
    this.capacity = capacity;
    this.epochs = hazelcast.getMap(EPOCHS);
  }

  static String ringbufferName(String topic) {
    return RINGBUFFER_PREFIX + topic + "@" + topic;
  }

  private Ringbuffer<String> ring(String topic) {
    return hazelcast.getRingbuffer(ringbufferName(topic));
  }

  @Override
  public Future<EventId> append(String topic, String message, Context context) {
    return epoch(topic, context).compose(epoch -> Future.fromCompletionStage(
        ring(topic).addAsync(message, OverflowPolicy.OVERWRITE), context).map(seq -> new EventId(epoch, seq)));
  }

  @Override
  public Future<Batch> read(String topic, long from, int max, Context context) {
    return read(topic, from, max, false, context);
  }

  @Override
  public Future<Batch> readOn(String topic, long from, int max, Context context) {
    return read(topic, from, max, true, context);
  }

  private Future<Batch> read(String topic, long from, int max, boolean known, Context context) {
    Future<String> epoch = epoch(topic, context);
    Future<ReadResultSet<String>> read = Future.fromCompletionStage(
        ring(topic).readManyAsync(Math.max(0, from), 0, Math.max(1, Math.min(max, Math.min(capacity, MAX_READ))), null), context);
    return Future.all(epoch, read).compose(all -> {
      ReadResultSet<String> set = read.result();
      if (set.size() == 0 && known && from != Long.MAX_VALUE) {
        return Future.succeededFuture(new Batch(epoch.result(), from, from, List.of()));
      }
      if (set.size() == 0) {
        // an empty read does not say where the history ends (Hazelcast leaves its next sequence unset then), and a
        // ringbuffer has no asynchronous tailSequence: ask on a worker thread, never on the event loop
        return context.executeBlocking(() -> ring(topic).tailSequence() + 1, false)
            .map(end -> new Batch(epoch.result(), end, end, List.of()));
      }
      List<String> messages = new ArrayList<>(set.size());
      for (int i = 0; i < set.size(); i++) {
        messages.add(set.get(i));
      }
      return Future.succeededFuture(new Batch(epoch.result(), set.getSequence(0), set.getNextSequenceToReadFrom(), messages));
    });
  }

  /** Sets a topic's epoch when it has none; answers the epoch it has then. Runs on the key's owner. */
  static final class EpochIfAbsent implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String fresh;

    EpochIfAbsent(String fresh) {
      this.fresh = fresh;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      if (entry.getValue() == null) {
        entry.setValue(fresh);
      }
      return entry.getValue();
    }
  }

  /** The topic's epoch, made (once, cluster-wide: an entry processor on the key's owner) when it has none. */
  private Future<String> epoch(String topic, Context context) {
    return Future.fromCompletionStage(epochs.getAsync(topic), context).compose(known -> {
      if (known != null) {
        return Future.succeededFuture(known);
      }
      return Future.fromCompletionStage(epochs.submitToKey(topic, new EpochIfAbsent(PushStore.newEpoch())), context);
    });
  }
}
