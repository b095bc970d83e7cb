package dev.satellite.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.satellite.config.ConfigException;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of the cluster: who the members are, which Satellite node runs as which member and
 * serves which actor addresses (the cluster-wide map {@code satellite.nodes}), and what changed lately.
 * It keeps node ids unique (a node whose id is taken by a live member refuses to join), drops the entry of
 * a member that leaves or dies, and reports when this node must stop: when it was split off and is being
 * merged back — its view is stale, so it exits and comes back clean.
 *
 * <p>Thread-safe: Hazelcast calls the listeners on its own threads; readers get immutable snapshots.
 * {@link #register} and {@link #leave} block (cluster operations): call them off the event loop.
 */
public final class ClusterMembership implements NodeDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
  static final String MAP = "satellite.nodes";
  private static final int RECENT_CHANGES = 20;

  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final Clock clock;
  private final IMap<String, String> nodes;
  private final Map<String, NodeEntry> entries = new ConcurrentHashMap<>();
  private final Deque<JsonObject> changes = new ArrayDeque<>();
  private final Counter joined;
  private final Counter left;
  private volatile Map<String, List<String>> nodesByAddress = Map.of();
  private volatile Consumer<String> onRemoved = reason -> { };
  private volatile boolean leaving;
  private final Executor blocking;

  /** @param blocking where blocking cluster calls made from Hazelcast's event threads run (Vert.x's worker pool) */
  public ClusterMembership(HazelcastInstance hazelcast, String nodeId, Clock clock, MeterRegistry registry,
      Executor blocking) {
    this.hazelcast = hazelcast;
    this.blocking = blocking;
    this.nodeId = nodeId;
    this.clock = clock;
    this.nodes = hazelcast.getMap(MAP);
    Gauge.builder(MetricNames.CLUSTER_SIZE, hazelcast, h -> h.getLifecycleService().isRunning() ? h.getCluster().getMembers().size() : 0)
        .description("Members of the cluster as this node sees it").register(registry);
    this.joined = Counter.builder(MetricNames.CLUSTER_MEMBERSHIP_CHANGES).tag("change", "joined")
        .description("Cluster membership changes seen by this node").register(registry);
    this.left = Counter.builder(MetricNames.CLUSTER_MEMBERSHIP_CHANGES).tag("change", "left")
        .description("Cluster membership changes seen by this node").register(registry);
  }

  /** Called (once) when this node learns it was removed from the cluster; the node then exits 70. */
  public void onRemoved(Consumer<String> handler) {
    this.onRemoved = handler;
  }

  /**
   * Registers this node and the actor addresses it serves, and starts following the cluster. Blocking.
   *
   * @throws ConfigException naming {@code node.id} when a live member already uses this node id
   */
  public void register(List<String> addresses) {
    Member local = hazelcast.getCluster().getLocalMember();
    nodes.addEntryListener(new EntryListener(), true);
    hazelcast.getCluster().addMembershipListener(new Members());
    hazelcast.getLifecycleService().addLifecycleListener(this::lifecycle);
    NodeEntry mine = new NodeEntry(nodeId, local.getUuid(), local.getAddress().toString(), addresses, clock.instant());
    String existing = nodes.putIfAbsent(nodeId, mine.encode());
    if (existing != null) {
      NodeEntry holder = NodeEntry.decode(existing);
      if (isMember(holder.member()) && !holder.member().equals(local.getUuid())) {
        throw ConfigException.of("node.id", "'" + nodeId + "' is already used by member " + holder.memberAddress()
            + " of cluster '" + hazelcast.getConfig().getClusterName() + "'; give every node its own id");
      }
      nodes.put(nodeId, mine.encode()); // a stale entry of a member that is gone
    }
    nodes.forEach((id, json) -> entries.put(id, NodeEntry.decode(json)));
    dropEntriesOfDepartedMembers();
    recompute();
    record("joined", nodeId, local.getAddress().toString());
  }

  /** Removes this node's entry so no one routes here any more. Blocking. */
  public void leave() {
    leaving = true;
    try {
      nodes.remove(nodeId);
    } catch (RuntimeException e) {
      LOG.debug("could not remove {} from {}: {}", nodeId, MAP, e.toString());
    }
  }

  @Override
  public List<String> nodesServing(String address) {
    return nodesByAddress.getOrDefault(address, List.of());
  }

  @Override
  public boolean knows(String node) {
    return entries.containsKey(node);
  }

  public int size() {
    return hazelcast.getCluster().getMembers().size();
  }

  /** Members, the actors they serve, and the last membership changes, for {@code /admin/cluster}. */
  public JsonObject toJson() {
    JsonArray members = new JsonArray();
    Map<UUID, NodeEntry> byMember = new HashMap<>();
    entries.values().forEach(e -> byMember.put(e.member(), e));
    for (Member m : hazelcast.getCluster().getMembers()) {
      NodeEntry e = byMember.get(m.getUuid());
      JsonObject member = e != null ? e.toJson() : new JsonObject().put("id", null).put("address", m.getAddress().toString());
      members.add(member.put("local", m.localMember()));
    }
    JsonArray recent;
    synchronized (changes) {
      recent = new JsonArray(new ArrayList<>(changes));
    }
    return new JsonObject().put("node", nodeId).put("cluster", hazelcast.getConfig().getClusterName())
        .put("members", members).put("changes", recent);
  }

  private boolean isMember(UUID uuid) {
    for (Member m : hazelcast.getCluster().getMembers()) {
      if (m.getUuid().equals(uuid)) {
        return true;
      }
    }
    return false;
  }

  private void dropEntriesOfDepartedMembers() {
    Set<UUID> live = ConcurrentHashMap.newKeySet();
    hazelcast.getCluster().getMembers().forEach(m -> live.add(m.getUuid()));
    entries.forEach((id, e) -> {
      if (!live.contains(e.member())) {
        entries.remove(id, e);
        removeIfUnchanged(e);
      }
    });
  }

  /**
   * Drops a departed member's registry entry — only that entry: a node restarted under the same id may
   * already have written its own. Off the Hazelcast event thread (the call blocks).
   */
  private void removeIfUnchanged(NodeEntry e) {
    blocking.execute(() -> {
      try {
        nodes.remove(e.nodeId(), e.encode());
      } catch (RuntimeException ex) {
        LOG.debug("could not drop the entry of {}: {}", e.nodeId(), ex.toString());
      }
    });
  }

  private synchronized void recompute() {
    Map<String, List<String>> byAddress = new HashMap<>();
    entries.values().stream().sorted((a, b) -> a.nodeId().compareTo(b.nodeId())).forEach(e -> {
      for (String address : e.addresses()) {
        byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(e.nodeId());
      }
    });
    byAddress.replaceAll((a, list) -> List.copyOf(list));
    nodesByAddress = Map.copyOf(byAddress);
  }

  private void record(String change, String node, String address) {
    JsonObject c = new JsonObject().put("change", change).put("node", node).put("address", address)
        .put("at", clock.instant().toString());
    synchronized (changes) {
      changes.addFirst(c);
      while (changes.size() > RECENT_CHANGES) {
        changes.removeLast();
      }
    }
  }

  private void lifecycle(LifecycleEvent event) {
    if (event.getState() == LifecycleEvent.LifecycleState.MERGING) {
      onRemoved.accept("this node was split from the cluster and is being merged back: its view is stale");
    }
  }

  private final class Members implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      joined.increment();
      record("member_added", null, event.getMember().getAddress().toString());
      LOG.info("cluster member joined: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      left.increment();
      UUID gone = event.getMember().getUuid();
      String goneNode = null;
      for (NodeEntry e : entries.values()) {
        if (e.member().equals(gone)) {
          goneNode = e.nodeId();
          entries.remove(e.nodeId(), e);
          removeIfUnchanged(e);
        }
      }
      recompute();
      record("member_removed", goneNode, event.getMember().getAddress().toString());
      LOG.warn("cluster member left: {} (node {}; {} members)", event.getMember().getAddress(), goneNode,
          event.getMembers().size());
    }
  }

  private final class EntryListener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      EntryRemovedListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      put(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      put(event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      entries.remove(event.getKey());
      recompute();
      if (nodeId.equals(event.getKey()) && !leaving && event.getOldValue() != null
          && NodeEntry.decode(event.getOldValue()).member().equals(hazelcast.getCluster().getLocalMember().getUuid())) {
        onRemoved.accept("another member removed this node from the cluster registry: it was declared gone");
      }
    }

    private void put(String json) {
      NodeEntry e = NodeEntry.decode(json);
      if (isMember(e.member())) {
        entries.put(e.nodeId(), e);
        recompute();
      }
    }
  }
}
