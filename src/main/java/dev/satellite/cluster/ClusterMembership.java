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
import java.util.HashSet;
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
 * It keeps node ids unique: a node first {@linkplain #claim claims} its id — before it listens on any actor address,
 * so a node whose id is taken by a live member is refused without ever being sent a request — and only then
 * {@linkplain #register registers} what it serves. It drops the entry of a member that leaves or dies, tells the
 * router of a node that left, and reports when this node must stop: when it was split off and is being merged back —
 * its view is stale, so it exits and comes back clean.
 *
 * <p>Thread-safe: Hazelcast calls the listeners on its own threads; readers get immutable snapshots.
 * {@link #claim}, {@link #register} and {@link #leave} block (cluster operations): call them off the event loop.
 */
public final class ClusterMembership implements NodeDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
  static final String MAP = "satellite.nodes";
  /** The member attribute that carries a member's node id, so a member is named even before it has an entry. */
  public static final String NODE_ATTRIBUTE = "satellite.node";
  private static final int RECENT_CHANGES = 20;

  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final Clock clock;
  private final IMap<String, String> nodes;
  private final Map<String, NodeEntry> entries = new ConcurrentHashMap<>();
  /**
   * The node each member has run as, once it had an entry: what a member's removal means to the router, whichever of
   * the removal and the dropping of its entry this node hears of first.
   */
  private final Map<UUID, String> nodeOfMember = new ConcurrentHashMap<>();
  /** Members whose node removed its entry (it is shutting down) but that are still members. */
  private final Set<UUID> leavingMembers = ConcurrentHashMap.newKeySet();
  private final Deque<JsonObject> changes = new ArrayDeque<>();
  private final Counter joined;
  private final Counter left;
  private volatile Map<String, List<String>> nodesByAddress = Map.of();
  private volatile Set<String> serving = Set.of();
  private volatile Consumer<String> onRemoved = reason -> { };
  private volatile Consumer<String> onLeft = node -> { };
  private volatile NodeEntry claim;
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

  /** Called with the node id of each member that leaves the cluster (dies, or shuts down). */
  public void onLeft(Consumer<String> handler) {
    this.onLeft = handler;
  }

  /**
   * Claims this node's id in the registry (an entry that serves nothing yet) and starts following the cluster.
   * Blocking. Call it before listening on any actor address: a refused node must never have been sent a request.
   *
   * @throws ConfigException naming {@code node.id} when a live member already uses this node id
   */
  public void claim() {
    Member local = hazelcast.getCluster().getLocalMember();
    nodes.addEntryListener(new EntryListener(), true);
    hazelcast.getCluster().addMembershipListener(new Members());
    hazelcast.getLifecycleService().addLifecycleListener(this::lifecycle);
    NodeEntry mine = NodeEntry.claim(nodeId, local.getUuid(), local.getAddress().toString(), clock.instant());
    String existing = nodes.putIfAbsent(nodeId, mine.encode());
    if (existing != null) {
      NodeEntry holder = NodeEntry.decode(existing);
      if (isMember(holder.member()) && !holder.member().equals(local.getUuid())) {
        throw ConfigException.of("node.id", "'" + nodeId + "' is already used by member " + holder.memberAddress()
            + " of cluster '" + hazelcast.getConfig().getClusterName() + "'; give every node its own id");
      }
      nodes.put(nodeId, mine.encode()); // a stale entry of a member that is gone
    }
    claim = mine;
    nodes.forEach((id, json) -> known(NodeEntry.decode(json)));
    dropEntriesOfDepartedMembers();
    recompute();
  }

  /**
   * Registers the actor addresses this node serves, after {@link #claim}: from now on other nodes route to it.
   * Blocking.
   *
   * @throws IllegalStateException when the claim is no longer this node's (another member dropped it)
   */
  public void register(List<String> addresses) {
    NodeEntry claimed = claim;
    if (claimed == null) {
      throw new IllegalStateException("register before claim");
    }
    NodeEntry mine = claimed.serving(addresses, clock.instant());
    if (!nodes.replace(nodeId, claimed.encode(), mine.encode())) {
      throw new IllegalStateException("this node's claim on node.id '" + nodeId + "' was dropped by the cluster");
    }
    known(mine);
    recompute();
    record("joined", nodeId, mine.memberAddress());
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
  public Set<String> servingNodes() {
    return serving;
  }

  @Override
  public boolean knows(String node) {
    return entries.containsKey(node);
  }

  public int size() {
    return hazelcast.getCluster().getMembers().size();
  }

  /**
   * Members, the actors they serve, and the last membership changes, for {@code /admin/cluster}. A member is
   * {@code serving}, {@code joining} (no entry yet, or only its claim) or {@code leaving} (its node removed its entry
   * and is shutting down); a member is named by its entry, else by the node id it carries as an attribute.
   */
  public JsonObject toJson() {
    JsonArray members = new JsonArray();
    Map<UUID, NodeEntry> byMember = new HashMap<>();
    entries.values().forEach(e -> byMember.put(e.member(), e));
    for (Member m : hazelcast.getCluster().getMembers()) {
      NodeEntry e = byMember.get(m.getUuid());
      JsonObject member;
      if (e != null) {
        member = e.toJson();
      } else {
        member = new JsonObject();
        String id = m.getAttribute(NODE_ATTRIBUTE);
        if (id != null) {
          member.put("id", id);
        }
        member.put("address", m.getAddress().toString())
            .put("state", leavingMembers.contains(m.getUuid()) ? "leaving" : "joining");
      }
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
    nodeOfMember.keySet().retainAll(live);
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

  private void known(NodeEntry e) {
    entries.put(e.nodeId(), e);
    nodeOfMember.put(e.member(), e.nodeId());
  }

  private synchronized void recompute() {
    Map<String, List<String>> byAddress = new HashMap<>();
    Set<String> servingNow = new HashSet<>();
    List<NodeEntry> sorted = entries.values().stream().filter(NodeEntry::serving)
        .sorted((a, b) -> a.nodeId().compareTo(b.nodeId())).toList();
    for (NodeEntry e : sorted) {
      servingNow.add(e.nodeId());
      for (String address : e.addresses()) {
        byAddress.computeIfAbsent(address, a -> new ArrayList<>()).add(e.nodeId());
      }
    }
    byAddress.replaceAll((a, list) -> List.copyOf(list));
    nodesByAddress = Map.copyOf(byAddress);
    serving = Set.copyOf(servingNow);
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

  /**
   * A node split off and merged back exits once Hazelcast has merged its data ({@code MERGED}, or
   * {@code MERGE_FAILED}), not when the merge starts ({@code MERGING}): the merge hands this member's entries to the
   * cluster it rejoins (analytics counts made on this side of the split among them), and a process halted at
   * {@code MERGING} would take them with it.
   */
  private void lifecycle(LifecycleEvent event) {
    switch (event.getState()) {
      case MERGING -> LOG.warn("this node was split from the cluster and is being merged back; it exits once its data"
          + " is merged");
      case MERGED, MERGE_FAILED -> onRemoved.accept("this node was split from the cluster and merged back ("
          + event.getState() + "): its view is stale");
      default -> {
      }
    }
  }

  private final class Members implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      joined.increment();
      record("member_added", event.getMember().getAttribute(NODE_ATTRIBUTE), event.getMember().getAddress().toString());
      LOG.info("cluster member joined: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      left.increment();
      UUID gone = event.getMember().getUuid();
      leavingMembers.remove(gone);
      // only an entry says which node a member was: a refused duplicate carries a taken id, and had none
      String goneNode = nodeOfMember.remove(gone);
      for (NodeEntry e : entries.values()) {
        if (e.member().equals(gone)) {
          entries.remove(e.nodeId(), e);
          removeIfUnchanged(e);
        }
      }
      recompute();
      if (goneNode != null) {
        onLeft.accept(goneNode);
      } else {
        goneNode = event.getMember().getAttribute(NODE_ATTRIBUTE);
      }
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
      if (event.getOldValue() != null) {
        UUID member = NodeEntry.decode(event.getOldValue()).member();
        if (isMember(member)) {
          leavingMembers.add(member); // its node is shutting down; the member goes when Vert.x and Hazelcast stop
        }
      }
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
        known(e);
        recompute();
      }
    }
  }
}
