package dev.satellite.experiment;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A band on the report's time axis for one method activity: kind {@code fault} for an action that injects one (an
 * http POST to {@code /admin/chaos/faults}, or a process calling {@code chaos node}), {@code action} or
 * {@code probe} otherwise; start and end in seconds since the journal's start. A fault posted with
 * {@code durationMs} lasts that long.
 *
 * <p>Thread-safe: immutable.
 */
public record Marker(String name, String kind, double start, double end) {

  static Marker of(Activity a, ActivityResult r, Instant journalStart) {
    double start = seconds(journalStart, r.start());
    double end = seconds(journalStart, r.end());
    String kind = Activity.PROBE.equals(a.type()) ? "probe" : "action";
    if (a.provider() instanceof Provider.Http h && !"GET".equals(h.method())
        && String.valueOf(h.url()).contains("/admin/chaos/faults")) {
      kind = "fault";
      if (h.arguments() instanceof Map<?, ?> args && args.get("durationMs") instanceof Number ms && !"DELETE".equals(h.method())) {
        end = start + ms.doubleValue() / 1000;
      }
    } else if (a.provider() instanceof Provider.Process p && p.arguments() != null
        && String.valueOf(p.arguments() instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : p.arguments())
            .contains("chaos node")) {
      kind = "fault";
    }
    return new Marker(a.name(), kind, start, end);
  }

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("kind", kind).put("start", start).put("end", end);
  }
}
