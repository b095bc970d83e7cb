package dev.satellite.actor.internal;

import dev.satellite.actor.MessageHeaders;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The messages an actor instance has accepted and not answered yet, with the deadline each got on receipt. Its
 * bound ({@code capacity}) is what the instance may hold at once; a message whose deadline passes before its reply
 * is sent is {@linkplain #expire(long) expired}: taken out (its caller is told, its slot given back) and counted
 * as <em>expired work</em> until its reply future completes after all. Work that never completes would otherwise
 * hold its slot for ever; expired work that fills the whole capacity means the instance is stuck
 * ({@link #stuck()}), and its supervisor replaces it.
 *
 * <p>Event-loop confined (one per actor instance).
 */
final class Mailbox {

  /** One accepted message. */
  static final class Entry {
    final Message<Object> message;
    final long deadline;
    boolean expired;
    boolean done;

    Entry(Message<Object> message, long deadline) {
      this.message = message;
      this.deadline = deadline;
    }
  }

  private final int capacity;
  private final Map<Message<Object>, Entry> live = new HashMap<>();
  private final PriorityQueue<Entry> byDeadline = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
  private int held;
  private int expired;

  Mailbox(int capacity) {
    this.capacity = capacity;
  }

  int capacity() {
    return capacity;
  }

  /** Whether one more message must be refused: the live work (with held messages) or the expired work is at capacity. */
  boolean full() {
    return live.size() + held >= capacity || expired >= capacity;
  }

  /** Whether expired work fills the whole capacity: the instance no longer finishes what it starts. */
  boolean stuck() {
    return expired >= capacity;
  }

  /** Live messages, held ones included: what {@code mailboxSize()} reports. */
  int size() {
    return live.size() + held;
  }

  int expiredWork() {
    return expired;
  }

  boolean isEmpty() {
    return live.isEmpty();
  }

  void held(int delta) {
    held += delta;
  }

  /** Accepts a message whose reply comes later. */
  Entry accept(Message<Object> message, long deadline) {
    Entry e = new Entry(message, deadline);
    live.put(message, e);
    if (deadline != MessageHeaders.NO_DEADLINE) {
      byDeadline.add(e);
    }
    return e;
  }

  /** The deadline a live message got on receipt, or null when it is not live here. */
  Long deadlineOf(Message<?> message) {
    Entry e = live.get(message);
    return e == null ? null : e.deadline;
  }

  /**
   * The reply of an accepted message completed: true when its caller is still waiting for it (the reply must be
   * sent), false when it expired first (the expired work is done now) or the instance gave it up.
   */
  boolean complete(Entry e) {
    if (e.done) {
      return false;
    }
    e.done = true;
    if (e.expired) {
      expired--;
      return false;
    }
    live.remove(e.message);
    return true;
  }

  /** Takes out every live message whose deadline is at or before {@code now}; they are expired work from now on. */
  List<Entry> expire(long now) {
    List<Entry> out = new ArrayList<>();
    while (!byDeadline.isEmpty() && byDeadline.peek().deadline <= now) {
      Entry e = byDeadline.poll();
      if (!e.done && !e.expired) {
        e.expired = true;
        live.remove(e.message);
        expired++;
        out.add(e);
      }
    }
    return out;
  }

  /** The earliest deadline among live messages, or {@link MessageHeaders#NO_DEADLINE}. */
  long nextDeadline() {
    while (!byDeadline.isEmpty() && (byDeadline.peek().done || byDeadline.peek().expired)) {
      byDeadline.poll();
    }
    return byDeadline.isEmpty() ? MessageHeaders.NO_DEADLINE : byDeadline.peek().deadline;
  }

  /** Gives up every live message (a crash or a stop): returns them so their callers can be told. */
  List<Entry> drainLive() {
    List<Entry> out = new ArrayList<>(live.values());
    for (Entry e : out) {
      e.done = true;
    }
    live.clear();
    byDeadline.clear();
    return out;
  }
}
