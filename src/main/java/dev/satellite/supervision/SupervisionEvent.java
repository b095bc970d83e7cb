package dev.satellite.supervision;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What supervisors report: typed, with a readable {@code toString}, published as JSON on
 * {@link SupervisionEvents#ADDRESS}, logged and counted.
 */
public sealed interface SupervisionEvent {

  String supervisor();

  Instant at();

  JsonObject toJson();

  /**
   * An instance of a child crashed; {@code counted} says whether the crash counts towards the supervisor's restart
   * intensity (a poison request's crash and a temporary child's do not).
   */
  record ActorCrashed(String node, String supervisor, String child, int instance, String kind, String reason,
      boolean counted, Instant at) implements SupervisionEvent {

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("event", "ActorCrashed").put("node", node).put("supervisor", supervisor)
          .put("child", child).put("instance", instance).put("kind", kind).put("reason", reason)
          .put("counted", counted).put("at", at.toString());
    }

    @Override
    public String toString() {
      return "ActorCrashed[" + supervisor + "/" + child + "#" + instance + " " + kind + ": " + reason
          + (counted ? "" : " (not counted towards the restart intensity)") + "]";
    }
  }

  /** A fresh instance replaced a crashed one and is serving; {@code downMs} is crash to serving. */
  record ActorRestarted(String node, String supervisor, String child, int instance, long generation, String reason,
      long backoffMs, double downMs, Instant at) implements SupervisionEvent {

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("event", "ActorRestarted").put("node", node).put("supervisor", supervisor)
          .put("child", child).put("instance", instance).put("generation", generation).put("reason", reason)
          .put("backoffMs", backoffMs).put("downMs", downMs).put("at", at.toString());
    }

    @Override
    public String toString() {
      return "ActorRestarted[" + supervisor + "/" + child + "#" + instance + " gen " + generation + " after " + reason
          + ", backoff " + backoffMs + " ms, down " + String.format(java.util.Locale.ROOT, "%.2f", downMs) + " ms]";
    }
  }

  /** A supervisor saw more crashes than its intensity allows, stopped its children and escalated. */
  record SupervisorGaveUp(String node, String supervisor, int crashes, String period, String reason, Instant at)
      implements SupervisionEvent {

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("event", "SupervisorGaveUp").put("node", node).put("supervisor", supervisor)
          .put("crashes", crashes).put("period", period).put("reason", reason).put("at", at.toString());
    }

    @Override
    public String toString() {
      return "SupervisorGaveUp[" + supervisor + " after " + crashes + " crashes in " + period + ": " + reason + "]";
    }
  }
}
