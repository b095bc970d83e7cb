package dev.satellite.services.push;

import dev.satellite.config.SatelliteConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The push service of one node: its settings, the topics' histories ({@link PushStore}: in memory standalone, in
 * Hazelcast clustered), the subscribers open here and one {@link TopicTail} per topic they follow. A publish on any
 * node appends to the history, then publishes the topic's name on {@link #WAKE} (every node's tail of that topic
 * reads what is new); a slow safety poll wakes every tail once a second as well, so a lost wake-up delays, never
 * loses, a message.
 *
 * <p>One per Vert.x instance, kept in its local map {@code satellite.services}: {@link #of} finds it (the node
 * {@link #install}s it with its config and meter registry at start). Thread-safe; the tails run on a context
 * of their own.
 */
public final class Push implements Shareable {

  /** Bus address the name of a topic is published on after each append. */
  public static final String WAKE = "satellite.push.wake";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Push.class);
  static final String SERVICES = "satellite.services";
  static final String KEY = "push";
  static final long POLL_MS = 1000;

  final SatelliteConfig.Push settings;
  final PushStore store;
  final PushMeters meters;
  final Vertx vertx;
  final Context home;
  private final AtomicInteger subscribers = new AtomicInteger();
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, TopicTail> tails = new ConcurrentHashMap<>();

  private Push(Vertx vertx, SatelliteConfig.Push settings, MeterRegistry registry) {
    this.vertx = vertx;
    this.settings = settings;
    this.home = ((VertxInternal) vertx).createEventLoopContext();
    ClusterManager cm = ((VertxInternal) vertx).clusterManager();
    this.store = cm instanceof HazelcastClusterManager hz
        ? new HazelcastPushStore(hz.getHazelcastInstance(), settings.historySize()) : new MemoryPushStore(settings.historySize());
    this.meters = new PushMeters(registry, subscribers);
  }

  /** Creates the node's push service (once: a second call returns the first one). */
  public static Push install(Vertx vertx, SatelliteConfig.Push settings, MeterRegistry registry) {
    LocalMap<String, Push> map = vertx.sharedData().getLocalMap(SERVICES);
    Push existing = map.get(KEY);
    if (existing != null) {
      return existing;
    }
    Push fresh = new Push(vertx, settings, registry);
    existing = map.putIfAbsent(KEY, fresh);
    if (existing != null) {
      return existing;
    }
    fresh.start();
    return fresh;
  }

  /**
   * The node's push service. When the node installed none (a Vert.x not started by a node), one with the default
   * settings and a private meter registry, said in the log.
   */
  public static Push of(Vertx vertx) {
    Push p = (Push) vertx.sharedData().<String, Push>getLocalMap(SERVICES).get(KEY);
    if (p != null) {
      return p;
    }
    LOG.warn("push: no push service installed on this Vert.x; using the default settings, metrics not exported");
    return install(vertx, SatelliteConfig.Push.DEFAULTS, new SimpleMeterRegistry());
  }

  private void start() {
    home.runOnContext(v -> {
      vertx.eventBus().<String>consumer(WAKE, m -> wake(m.body()));
      vertx.setPeriodic(POLL_MS, t -> tails.values().forEach(TopicTail::wake));
    });
  }

  /** The most messages one read of a history returns: a full page means there may be more. */
  int page() {
    return Math.min(PushStore.MAX_READ, settings.historySize());
  }

  public SatelliteConfig.Push settings() {
    return settings;
  }

  public PushStore store() {
    return store;
  }

  /** Subscribers open on this node. */
  public int subscribers() {
    return subscribers.get();
  }

  /** Counts a message published through this node and wakes every node's tail of its topic. */
  void published(String topic) {
    meters.published.increment();
    vertx.eventBus().publish(WAKE, topic);
  }

  private void wake(String topic) {
    TopicTail tail = tails.get(topic);
    if (tail != null) {
      tail.wake();
    }
  }

  /**
   * Whether this node takes a publish to {@code topic}: one it has seen, or a new one while it has seen fewer than
   * {@code push.maxTopics} since it started (approximate under concurrent first publishes: it may overshoot by a few).
   */
  boolean admitTopic(String topic) {
    if (topics.contains(topic)) {
      return true;
    }
    if (topics.size() >= settings.maxTopics()) {
      return false;
    }
    topics.add(topic);
    return true;
  }

  /** Takes a subscriber slot; false when {@code push.maxSubscribers} are open. */
  boolean enterSubscriber() {
    if (subscribers.incrementAndGet() > settings.maxSubscribers()) {
      subscribers.decrementAndGet();
      return false;
    }
    return true;
  }

  void exitSubscriber() {
    subscribers.decrementAndGet();
  }

  /** Adds a subscriber to its topic's tail (starting the tail when it is the first). */
  void follow(Subscriber s) {
    boolean[] fresh = {false};
    TopicTail tail = tails.compute(s.topic(), (t, existing) -> {
      TopicTail x = existing;
      if (x == null) {
        x = new TopicTail(t, this);
        fresh[0] = true;
      }
      x.add(s);
      return x;
    });
    if (fresh[0]) {
      home.runOnContext(v -> tail.wake());
    }
  }

  /** Removes a subscriber; the tail goes when its last subscriber does. */
  void unfollow(Subscriber s) {
    tails.computeIfPresent(s.topic(), (t, tail) -> tail.remove(s) ? null : tail);
  }
}
