package dev.satellite.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The console's feed of events, newest last, the last {@link #KEPT} kept: supervision events (crashes, restarts,
 * give-ups), breaker transitions and chaos events (faults injected and reverted, the monkey's strikes) as the node
 * publishes them, and membership changes found by comparing one state of the node's cluster with the next.
 *
 * <p>Not thread-safe: fed and read on the admin listener's event loop.
 */
final class ConsoleEvents {

  static final int KEPT = 200;

  private final Clock clock;
  private final Deque<JsonObject> events = new ArrayDeque<>();
  private long seq;
  private Set<String> members;
  private Set<String> ejected;

  ConsoleEvents(Clock clock) {
    this.clock = clock;
  }

  /** The events kept, oldest first; each {@code {seq, at, kind, text}}. */
  JsonArray recent() {
    return new JsonArray(new java.util.ArrayList<>(events));
  }

  void add(String kind, String at, String text) {
    events.addLast(new JsonObject().put("seq", ++seq).put("at", at == null ? clock.instant().toString() : at)
        .put("kind", kind).put("text", text));
    if (events.size() > KEPT) {
      events.removeFirst();
    }
  }

  /** A message of {@code satellite.supervision}. */
  void supervision(JsonObject e) {
    String who = e.getString("child", "") + (e.containsKey("instance") ? "#" + e.getValue("instance") : "");
    switch (e.getString("event", "")) {
      case "ActorCrashed" -> add("crash", e.getString("at"), who + " crashed (" + e.getString("kind") + "): "
          + e.getString("reason"));
      case "ActorRestarted" -> add("restart", e.getString("at"), who + " restarted as generation "
          + e.getValue("generation") + " after " + ms(e.getValue("downMs")) + " ms down (backoff "
          + ms(e.getValue("backoffMs")) + " ms)");
      case "SupervisorGaveUp" -> add("give-up", e.getString("at"), "supervisor " + e.getString("supervisor")
          + " gave up after " + e.getValue("crashes") + " crashes in " + e.getString("period") + ": "
          + e.getString("reason"));
      default -> { }
    }
  }

  private static String ms(Object value) {
    return value instanceof Number n ? String.valueOf(Math.round(n.doubleValue())) : String.valueOf(value);
  }

  /** A message of {@code satellite.chaos} (from any node of the cluster). */
  void chaos(JsonObject e) {
    String on = " on node " + e.getString("node");
    switch (e.getString("event", "")) {
      case "injected" -> add("fault", e.getString("at"), "fault " + e.getString("id") + " injected: "
          + e.getString("type") + " on " + e.getString("target") + on);
      case "reverted" -> add("fault", e.getString("at"), "fault " + e.getString("id") + " reverted ("
          + e.getString("reason") + "): " + e.getString("type") + " on " + e.getString("target") + on);
      case "monkey" -> add("fault", e.getString("at"), "the chaos monkey crashed " + e.getString("actor") + "#"
          + e.getValue("instance") + on);
      default -> { }
    }
  }

  /** A message of {@code satellite.edge}: a breaker's transition, as it happened. */
  void edge(JsonObject e) {
    if ("BreakerStateChanged".equals(e.getString("event"))) {
      String state = e.getString("state", "").replace('_', '-');
      add("breaker", null, "breaker of " + e.getString("route") + " is " + state
          + ("open".equals(state) ? ": calls fail fast for " + e.getValue("openMs") + " ms" : ""));
    }
  }

  /** Compares the cluster of a state of the node with the one before; events for members that came, went, were ejected. */
  void compare(JsonObject state) {
    JsonObject cluster = state.getJsonObject("cluster");
    if (cluster != null && cluster.getBoolean("clustered", false)) {
      Set<String> now = new HashSet<>();
      for (Object o : cluster.getJsonArray("members", new JsonArray())) {
        now.add(Objects.toString(((JsonObject) o).getString("id"), ((JsonObject) o).getString("address")));
      }
      Set<String> out = new HashSet<>(cluster.getJsonObject("ejected", new JsonObject()).fieldNames());
      if (members != null) {
        now.stream().filter(m -> !members.contains(m)).sorted().forEach(m -> add("member", null, m + " joined"));
        members.stream().filter(m -> !now.contains(m)).sorted().forEach(m -> add("member", null, m + " left"));
        out.stream().filter(m -> !ejected.contains(m)).sorted().forEach(m -> add("member", null, m + " ejected"));
        ejected.stream().filter(m -> !out.contains(m)).sorted().forEach(m -> add("member", null, m + " readmitted"));
      }
      members = now;
      ejected = out;
    }
  }
}
