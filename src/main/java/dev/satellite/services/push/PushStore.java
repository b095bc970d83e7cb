package dev.satellite.services.push;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The topics' histories: an append-only, bounded sequence of messages per topic (the oldest fall out past
 * {@code push.historySize}), each history named by an epoch. Standalone: {@link MemoryPushStore}, lost with the
 * process; clustered: {@link HazelcastPushStore}, a Hazelcast ringbuffer with one synchronous backup per topic.
 * Both number a topic's messages from 0 in the order they were appended, and both answer reads the same way.
 *
 * <p>Thread-safe. Every method is asynchronous; futures complete on the context given.
 */
public interface PushStore {

  /** The most messages one {@link #read} returns (Hazelcast's batch limit). */
  int MAX_READ = 1000;

  /** Appends {@code message} to {@code topic}'s history (creating it, and its epoch, when there is none). */
  Future<EventId> append(String topic, String message, Context context);

  /**
   * Up to {@code max} messages of {@code topic} from sequence {@code from} on. A {@code from} older than the oldest
   * message still kept starts at the oldest ({@link Batch#first()} then says so); one past the newest gives an empty
   * batch whose {@link Batch#next()} is the sequence the next message will get ({@code Long.MAX_VALUE} is the way
   * to ask for just that).
   */
  Future<Batch> read(String topic, long from, int max, Context context);

  /**
   * As {@link #read(String, long, int, Context)}, for a {@code from} the caller knows is within the history or one
   * past its newest message (it came from an earlier batch's {@link Batch#next()}): an empty answer is then
   * {@code Batch(epoch, from, from)} without asking where the history ends, which is dearer for some stores.
   */
  default Future<Batch> readOn(String topic, long from, int max, Context context) {
    return read(topic, from, max, context);
  }

  /**
   * Messages read from a history.
   *
   * @param epoch    the history's epoch
   * @param first    the sequence of {@code messages.get(0)}, or {@link #next()} when there is none
   * @param next     the sequence after the last one returned
   * @param messages consecutive messages from {@code first}
   */
  record Batch(String epoch, long first, long next, List<String> messages) {
    public Batch {
      messages = List.copyOf(messages);
    }
  }

  /** A fresh epoch: 12 random base-36 characters. */
  static String newEpoch() {
    StringBuilder b = new StringBuilder(12);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < 12; i++) {
      b.append(Character.forDigit(r.nextInt(36), 36));
    }
    return b.toString();
  }
}
