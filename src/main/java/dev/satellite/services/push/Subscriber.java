package dev.satellite.services.push;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;

/**
 * One subscriber of a topic on this node: where it stands in the topic's history (epoch and next sequence) and how
 * it gets there. It follows the topic's tail first, then replays from the history, then goes live: every message
 * it writes is the one after the last it wrote, so it never skips one and never repeats one.
 *
 * <ul>
 *   <li><b>Catching up</b>: it reads the history itself from its next sequence, page by page, writing what it reads;
 *       batches the tail hands it meanwhile are dropped (they are in the history), but noted, so it reads once more
 *       before it goes live.</li>
 *   <li><b>Live</b>: a batch from the tail that follows on (or overlaps) is written from the next sequence on; one that
 *       starts past it (the tail read before it was added, or a batch was lost) or has another epoch sends it back to
 *       catching up.</li>
 *   <li><b>Reset</b>: a read whose epoch is not the subscriber's (the history was lost and made afresh), whose first
 *       message is past its next sequence (history exceeded), or whose end is before it (an id the history never had)
 *       sends an explicit {@code reset} event first, then goes on from the oldest message still kept — never a
 *       silent skip.</li>
 * </ul>
 * Back-pressure: before each write, a sink with more than {@code push.subscriberBuffer} bytes queued closes the
 * subscriber as a slow consumer (counted), so a slow client neither slows the topic nor grows the node's memory.
 *
 * <p>Event-loop confined to its connection's context.
 */
final class Subscriber {

  private final Push push;
  private final String topic;
  private final Sink sink;
  private final Context context;
  private final EventId since;
  private String epoch;
  /** The sequence of the next message to write; -1 before the first read (a subscriber without an id starts live). */
  private long next;
  private boolean live;
  private boolean reading;
  private boolean missed;
  private boolean opened;
  private boolean closed;
  /** Whether {@link #next} came from a read of the current epoch (not from a client's id). */
  private boolean positioned;
  /** Where the stream stood in a history that was lost (another epoch was read), until the reset is sent. */
  private EventId lost;
  private long heartbeat = -1;

  Subscriber(Push push, String topic, EventId since, Sink sink, Context context) {
    this.push = push;
    this.topic = topic;
    this.since = since;
    this.sink = sink;
    this.context = context;
    this.epoch = since == null ? null : since.epoch();
    this.next = since == null ? -1 : since.sequence() + 1;
  }

  String topic() {
    return topic;
  }

  /** Follows the tail, then catches up; on the connection's context. */
  void start() {
    sink.onEnd(v -> end());
    push.follow(this);
    long every = push.settings.heartbeat().toMillis();
    heartbeat = push.vertx.setPeriodic(every, every, t -> {
      if (!closed && opened) {
        if (sink.full()) {
          slow();
        } else {
          sink.heartbeat();
        }
      }
    });
    catchUp();
  }

  Context context() {
    return context;
  }

  /** A batch the tail read; on this subscriber's context. */
  void onLive(String batchEpoch, long first, List<String> messages) {
    if (closed) {
      return;
    }
    if (!live) {
      missed = true;
      return;
    }
    if (!batchEpoch.equals(epoch) || first > next) {
      live = false;
      catchUp();
      return;
    }
    write(first, messages, false);
  }

  private void catchUp() {
    if (reading || closed) {
      return;
    }
    reading = true;
    missed = false;
    // a position this stream reached from a read is known to be in the history (or one past it); a client's is not
    Future<PushStore.Batch> read = next < 0 || !positioned ? push.store.read(topic, next < 0 ? Long.MAX_VALUE : next,
        push.page(), context) : push.store.readOn(topic, next, push.page(), context);
    read.onComplete(ar -> {
      reading = false;
      if (closed) {
        return;
      }
      if (ar.failed()) {
        // the history cannot be read now (a member is being lost): go on from where it stands on the next batch
        if (!opened) {
          opened = true;
          sink.open();
        }
        live = true;
        return;
      }
      caughtUp(ar.result());
    });
  }

  private void caughtUp(PushStore.Batch b) {
    if (next < 0) { // no id: start with the next message published
      epoch = b.epoch();
      next = b.next();
    } else if (!b.epoch().equals(epoch)) { // read again from the oldest message kept in the new history
      lost = new EventId(epoch, next - 1);
      epoch = b.epoch();
      next = 0;
      catchUp();
      return;
    } else if (lost != null) {
      reset("epoch-changed", lost, b.first());
      lost = null;
    } else if (b.next() < next) {
      reset("unknown-id", new EventId(epoch, next - 1), b.next());
    } else if (b.first() > next) {
      reset("history-exceeded", new EventId(epoch, next - 1), b.first());
    }
    positioned = true; // every branch above left next within the history read, or one past its newest
    if (!opened) {
      opened = true;
      sink.open();
    }
    write(b.first(), b.messages(), true);
    if (closed) {
      return;
    }
    if (missed || b.messages().size() >= push.page()) {
      catchUp();
    } else {
      live = true;
    }
  }

  /** Tells the client position {@code was} is gone: the stream goes on from {@code from} (of the current epoch). */
  private void reset(String reason, EventId was, long from) {
    next = from;
    EventId now = new EventId(epoch, from - 1);
    if (!opened) {
      opened = true;
      sink.open();
    }
    sink.reset(now, Messages.reset(reason, was, now));
    push.meters.reset(reason);
  }

  private void write(long first, List<String> messages, boolean replay) {
    int skip = (int) Math.max(0, next - first);
    for (int i = skip; i < messages.size(); i++) {
      if (sink.full()) {
        slow();
        return;
      }
      sink.message(new EventId(epoch, first + i), messages.get(i));
      push.meters.delivered.increment();
      if (replay && since != null) {
        push.meters.replayed.increment();
      }
      next = first + i + 1;
    }
  }

  private void slow() {
    close("slow-consumer");
  }

  /** Ends the stream from the node's side, saying why ({@code slow-consumer}, {@code shutdown}). */
  void close(String reason) {
    if (closed) {
      return;
    }
    push.meters.disconnect(reason);
    end();
    sink.close(reason);
  }

  private void end() {
    if (closed) {
      return;
    }
    closed = true;
    if (heartbeat >= 0) {
      push.vertx.cancelTimer(heartbeat);
    }
    push.unfollow(this);
    push.exitSubscriber();
  }
}
