package dev.satellite.experiment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run of an activity, as a Chaos Toolkit journal records it: the activity as written, its output, {@code
 * succeeded} or {@code failed}, start, end, and for a failure the exception lines; {@code toleranceMet} only for
 * hypothesis probes (null otherwise).
 *
 * <p>Thread-safe: immutable (the output is not copied; nothing changes it once recorded).
 */
public record ActivityResult(Map<String, Object> activity, Object output, boolean succeeded, Instant start,
                             Instant end, List<String> exception, Boolean toleranceMet) {

  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  public ActivityResult withToleranceMet(boolean met) {
    return new ActivityResult(activity, output, succeeded, start, end, exception, met);
  }

  public String name() {
    return String.valueOf(activity.get("name"));
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject()
        .put("activity", Json.object(activity))
        .put("output", Json.toVertx(output))
        .put("status", succeeded ? SUCCEEDED : FAILED)
        .put("start", start.toString())
        .put("end", end.toString())
        .put("duration", duration().toNanos() / 1e9);
    if (exception != null && !exception.isEmpty()) {
      o.put("exception", new JsonArray(List.copyOf(exception)));
    }
    if (toleranceMet != null) {
      o.put("tolerance_met", toleranceMet);
    }
    return o;
  }
}
