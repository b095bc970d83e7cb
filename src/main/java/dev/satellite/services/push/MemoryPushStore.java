package dev.satellite.services.push;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The histories of a standalone node, in its memory: lost with the process. Each topic is a ring of
 * {@code capacity} messages with a random epoch made when the topic first appears.
 *
 * <p>Thread-safe: each topic's ring is guarded by its own lock, held only to copy references.
 */
final class MemoryPushStore implements PushStore {

  private final int capacity;
  private final ConcurrentHashMap<String, Ring> topics = new ConcurrentHashMap<>();

  MemoryPushStore(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public Future<EventId> append(String topic, String message, Context context) {
    Ring ring = topics.computeIfAbsent(topic, t -> new Ring(capacity));
    return Future.succeededFuture(new EventId(ring.epoch, ring.add(message)));
  }

  @Override
  public Future<Batch> read(String topic, long from, int max, Context context) {
    Ring ring = topics.computeIfAbsent(topic, t -> new Ring(capacity));
    return Future.succeededFuture(ring.read(from, Math.min(max, MAX_READ)));
  }

  /** One topic's history: sequence {@code s} sits at {@code s % capacity} while it is kept. */
  private static final class Ring {
    final String epoch = PushStore.newEpoch();
    private final String[] items;
    private long next;

    Ring(int capacity) {
      this.items = new String[capacity];
    }

    synchronized long add(String message) {
      items[(int) (next % items.length)] = message;
      return next++;
    }

    synchronized Batch read(long from, int max) {
      long head = Math.max(0, next - items.length);
      long start = Math.min(Math.max(from, head), next);
      List<String> out = new ArrayList<>((int) Math.min(max, next - start));
      for (long s = start; s < next && out.size() < max; s++) {
        out.add(items[(int) (s % items.length)]);
      }
      return new Batch(epoch, start, start + out.size(), out);
    }
  }
}
