package dev.satellite.services.push;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one topic's history on one node for the subscribers here: reads from the sequence after the last one it
 * read, whenever it is woken (a publish anywhere, the safety poll), one read at a time, and hands each batch to
 * every subscriber on the subscriber's own context (one task per event loop, not one per subscriber). A subscriber de-duplicates by sequence and catches up from the
 * history itself when a batch does not follow on from what it has (see {@link Subscriber}), so the tail may skip,
 * repeat or start late without a subscriber ever seeing a gap or a duplicate.
 *
 * <p>Event-loop confined to the push service's own context, but for the subscriber set (thread-safe).
 */
final class TopicTail {

  private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

  private final String topic;
  private final Push push;
  /** The subscribers, by the context (event loop) each runs on: a batch is handed to each loop once. */
  private final ConcurrentHashMap<Context, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
  private String epoch;
  private long next = -1;
  private boolean reading;
  private boolean again;

  TopicTail(String topic, Push push) {
    this.topic = topic;
    this.push = push;
  }

  /** Adds {@code s}; called under the tails map's lock for this topic, as {@link #remove} is. */
  void add(Subscriber s) {
    subscribers.computeIfAbsent(s.context(), c -> ConcurrentHashMap.newKeySet()).add(s);
  }

  /** Removes {@code s}; true when none are left. */
  boolean remove(Subscriber s) {
    subscribers.computeIfPresent(s.context(), (c, set) -> {
      set.remove(s);
      return set.isEmpty() ? null : set;
    });
    return subscribers.isEmpty();
  }

  /** Reads what is new (on the push service's context). */
  void wake() {
    if (!push.home.equals(io.vertx.core.Vertx.currentContext())) {
      push.home.runOnContext(v -> wake());
      return;
    }
    if (reading) {
      again = true;
      return;
    }
    if (subscribers.isEmpty()) {
      return;
    }
    reading = true;
    again = false;
    Future<PushStore.Batch> read = next < 0 ? push.store.read(topic, Long.MAX_VALUE, push.page(), push.home)
        : push.store.readOn(topic, next, push.page(), push.home);
    read.onComplete(ar -> {
      reading = false;
      if (ar.failed()) {
        LOG.warn("push: reading topic {} failed (the next wake-up or poll tries again): {}", topic, ar.cause().toString());
        return;
      }
      PushStore.Batch b = ar.result();
      boolean epochChanged = epoch != null && !epoch.equals(b.epoch());
      if (next >= 0 && (!b.messages().isEmpty() || epochChanged)) {
        deliver(b.epoch(), b.first(), b.messages());
      }
      epoch = b.epoch();
      next = b.next();
      if (again || b.messages().size() >= push.page()) {
        wake();
      }
    });
  }

  private void deliver(String batchEpoch, long first, List<String> messages) {
    subscribers.forEach((context, set) -> context.runOnContext(v -> {
      for (Subscriber s : set) {
        s.onLive(batchEpoch, first, messages);
      }
    }));
  }
}
