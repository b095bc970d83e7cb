package dev.satellite.experiment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One check of the steady-state hypothesis: whether it was met and the probes that ran (it stops at the first probe
 * that failed or missed its tolerance, as Chaos Toolkit does).
 *
 * <p>Thread-safe: immutable.
 */
public record SteadyState(boolean met, List<ActivityResult> probes) {

  /** A probe that could not run (a failed status), rather than one outside its tolerance. */
  public boolean probeFailed() {
    return probes.stream().anyMatch(p -> !p.succeeded());
  }

  public JsonObject toJson() {
    JsonArray ps = new JsonArray();
    probes.forEach(p -> ps.add(p.toJson()));
    return new JsonObject().put("steady_state_met", met).put("probes", ps);
  }
}
