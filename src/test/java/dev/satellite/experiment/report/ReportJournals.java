package dev.satellite.experiment.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Journals with known contents for the report tests. */
final class ReportJournals {

  static final String HOSTILE = "</script><script>window.pwned=true</script><b>bold</b>";

  private ReportJournals() {
  }

  /** 20 s of load with a fault from 5 to 9 s and an instant action at 12 s; two nodes; five activities. */
  static JsonObject known() {
    JsonArray timeline = new JsonArray();
    for (int t = 0; t < 20; t++) {
      boolean fault = t >= 5 && t < 9;
      long sent = 100;
      long errors = fault ? 40 : 0;
      timeline.add(new JsonObject()
          .put("t", t).put("sent", sent).put("ok", sent - errors).put("errors", errors)
          .put("byStatus", fault ? new JsonObject().put("200", 60).put("503", 40) : new JsonObject().put("200", 100))
          .put("throughput", (double) (sent - errors))
          .put("errorRate", errors / (double) sent)
          .put("p50", fault ? 12.5 : 1.5)
          .put("p99", fault ? 950.0 : 4.25));
    }
    JsonArray markers = new JsonArray()
        .add(new JsonObject().put("name", "kill n2").put("kind", "fault").put("start", 5.0).put("end", 9.0))
        .add(new JsonObject().put("name", HOSTILE).put("kind", "action").put("start", 12.0).put("end", 12.0));
    JsonArray membership = new JsonArray()
        .add(change(0.0, "n1", "starting")).add(change(0.0, "n2", "starting"))
        .add(change(1.5, "n1", "serving")).add(change(1.7, "n2", "serving"))
        .add(change(5.0, "n2", "down")).add(change(9.5, "n2", "starting")).add(change(11.0, "n2", "serving"))
        .add(change(19.5, "n1", "stopped")).add(change(19.6, "n2", "stopped"));
    JsonObject probe = activity("probe", "load is healthy", "succeeded", "2026-01-01T10:00:00.500000", 0.2)
        .put("tolerance_met", true).put("output", new JsonObject().put("errorRate", 0.0));
    JsonObject failedProbe = activity("probe", "load is healthy", "failed", "2026-01-01T10:00:06.000000", 0.1)
        .put("tolerance_met", false).put("output", new JsonObject().put("errorRate", 0.4));
    JsonObject kill = activity("action", "kill n2", "succeeded", "2026-01-01T10:00:05.000000", 0.05)
        .put("output", HOSTILE);
    JsonObject wait = activity("action", "wait", "succeeded", "2026-01-01T10:00:05.050000", 7.0)
        .put("output", "x".repeat(500));
    JsonObject rollback = activity("action", "restart n2", "failed", "2026-01-01T10:00:19.000000", 0.3)
        .put("exception", new JsonArray().add("Traceback ...").add("ActivityFailed: " + HOSTILE));
    return new JsonObject()
        .put("chaoslib-version", "1.42.0")
        .put("platform", "Linux")
        .put("node", "ci")
        .put("experiment", new JsonObject().put("title", "A node dies " + HOSTILE).put("description", "test"))
        .put("start", "2026-01-01T10:00:00")
        .put("end", "2026-01-01T10:00:20")
        .put("duration", 20.0)
        .put("status", "completed")
        .put("deviated", true)
        .put("seed", 4242)
        .put("satellite_notes", new JsonArray()
            .add("load: the first 'io' failure: java.io.IOException: Connection reset by peer " + HOSTILE))
        .put("steady_states", new JsonObject()
            .put("before", new JsonObject().put("steady_state_met", true).put("probes", new JsonArray().add(probe)))
            .put("during", new JsonObject().put("steady_state_met", false)
                .put("probes", new JsonArray().add(failedProbe)))
            .putNull("after"))
        .put("run", new JsonArray().add(kill).add(wait))
        .put("rollbacks", new JsonArray().add(rollback))
        .put("timeline", timeline)
        .put("markers", markers)
        .put("membership", membership)
        .put("summary", new JsonObject().put("verdict", "deviated").put("load", new JsonObject()
            .put("sent", 2000).put("ok", 1840).put("errors", 160).put("byStatus", new JsonObject())
            .put("throughput", 92.0).put("errorRate", 0.08).put("p50", 1.6).put("p99", 900.0).put("max", 1000.0)));
  }

  private static JsonObject change(double t, String node, String state) {
    return new JsonObject().put("t", t).put("node", node).put("state", state);
  }

  private static JsonObject activity(String type, String name, String status, String start, double duration) {
    return new JsonObject()
        .put("activity", new JsonObject().put("type", type).put("name", name)
            .put("provider", new JsonObject().put("type", "python").put("module", "m").put("func", "f")))
        .put("status", status)
        .put("start", start)
        .put("end", start)
        .put("duration", duration);
  }
}
