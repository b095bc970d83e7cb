package dev.satellite.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One node's line in the cluster-wide registry {@code satellite.nodes}: the Hazelcast member it runs as,
 * that member's address, the actor addresses it serves, and when it joined. Stored as JSON text so any
 * member can read it without sharing classes. Immutable.
 */
public record NodeEntry(String nodeId, UUID member, String memberAddress, List<String> addresses, Instant since) {

  public NodeEntry {
    addresses = List.copyOf(addresses);
  }

  public String encode() {
    return new JsonObject().put("node", nodeId).put("member", member.toString()).put("memberAddress", memberAddress)
        .put("addresses", new JsonArray(addresses)).put("since", since.toString()).encode();
  }

  public static NodeEntry decode(String json) {
    JsonObject j = new JsonObject(json);
    return new NodeEntry(j.getString("node"), UUID.fromString(j.getString("member")), j.getString("memberAddress"),
        j.getJsonArray("addresses").stream().map(String::valueOf).toList(), Instant.parse(j.getString("since")));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", nodeId).put("address", memberAddress).put("since", since.toString())
        .put("actors", new JsonArray(addresses));
  }
}
