package dev.satellite.cluster;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The actor instances of this node by address and event loop: each instance, once listening, adds the
 * private node-local address it also listens on, together with the event-loop thread it runs on. A request
 * that starts on an event loop where an instance of its target lives goes to that instance: the message and
 * its reply stay on one thread, with no hand-off to another loop (which costs a wake-up and a context switch,
 * and about doubles the price of a request/reply on the event bus). A request from a loop without an instance
 * goes to the address, and the event bus picks an instance round-robin as usual. Like Seastar's or Envoy's
 * one-thread-per-core workers: spread connections over the loops, keep each request on its loop.
 *
 * <p>Thread-safe: copy-on-write arrays in a concurrent map; reads take no lock.
 */
public final class LocalInstances {

  /** A directory that takes no instance: every request goes to its address. */
  public static final LocalInstances NONE = new LocalInstances(false);

  private static final Entry[] EMPTY = new Entry[0];

  private record Entry(Thread loop, String instanceAddress) {
  }

  private final Map<String, Entry[]> byAddress = new ConcurrentHashMap<>();
  private final boolean enabled;

  public LocalInstances() {
    this(true);
  }

  private LocalInstances(boolean enabled) {
    this.enabled = enabled;
  }

  /** An instance of the actor at {@code address} listens on {@code instanceAddress}, on the event-loop thread {@code loop}. */
  public void add(String address, String instanceAddress, Thread loop) {
    if (!enabled) {
      return;
    }
    Entry entry = new Entry(loop, instanceAddress);
    byAddress.compute(address, (a, entries) -> {
      Entry[] grown = entries == null ? new Entry[1] : Arrays.copyOf(entries, entries.length + 1);
      grown[grown.length - 1] = entry;
      return grown;
    });
  }

  /** The instance listening on {@code instanceAddress} is going away: no request is sent to it any more. */
  public void remove(String address, String instanceAddress) {
    byAddress.computeIfPresent(address, (a, entries) -> {
      Entry[] kept = Arrays.stream(entries).filter(e -> !e.instanceAddress().equals(instanceAddress)).toArray(Entry[]::new);
      return kept.length == 0 ? null : kept;
    });
  }

  /** The private address of an instance of {@code address} on the calling thread, or null when there is none. */
  public String onThisThread(String address) {
    Entry[] entries = byAddress.getOrDefault(address, EMPTY);
    Thread self = Thread.currentThread();
    for (Entry e : entries) {
      if (e.loop() == self) {
        return e.instanceAddress();
      }
    }
    return null;
  }
}
