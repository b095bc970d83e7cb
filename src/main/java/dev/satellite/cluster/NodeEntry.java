package dev.satellite.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One node's line in the cluster-wide registry {@code satellite.nodes}: the Hazelcast member it runs as, that
 * member's address, the actor addresses it serves, whether it serves them yet, and since when. A node first
 * <em>claims</em> its id (an entry that serves nothing: it is joining) before it listens on any actor address, then
 * registers what it serves. Stored as JSON text so any member can read it without sharing classes. Immutable.
 */
public record NodeEntry(String nodeId, UUID member, String memberAddress, List<String> addresses, boolean serving,
    Instant since) {

  public NodeEntry {
    addresses = List.copyOf(addresses);
  }

  /** The entry of a node that has claimed its id and does not serve yet. */
  static NodeEntry claim(String nodeId, UUID member, String memberAddress, Instant since) {
    return new NodeEntry(nodeId, member, memberAddress, List.of(), false, since);
  }

  /** This entry, now serving {@code serves}. */
  NodeEntry serving(List<String> serves, Instant at) {
    return new NodeEntry(nodeId, member, memberAddress, serves, true, at);
  }

  public String state() {
    return serving ? "serving" : "joining";
  }

  public String encode() {
    return new JsonObject().put("node", nodeId).put("member", member.toString()).put("memberAddress", memberAddress)
        .put("addresses", new JsonArray(addresses)).put("state", state()).put("since", since.toString()).encode();
  }

  /** Reads an entry; one without a state (written before nodes claimed their ids first) is serving. */
  public static NodeEntry decode(String json) {
    JsonObject j = new JsonObject(json);
    return new NodeEntry(j.getString("node"), UUID.fromString(j.getString("member")), j.getString("memberAddress"),
        j.getJsonArray("addresses").stream().map(String::valueOf).toList(), !"joining".equals(j.getString("state")),
        Instant.parse(j.getString("since")));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", nodeId).put("address", memberAddress).put("state", state())
        .put("since", since.toString()).put("actors", new JsonArray(addresses));
  }
}
