package dev.satellite.experiment;

import java.util.Map;

/**
 * One step of an experiment: a probe or an action with its provider, or a {@code ref} to an activity declared
 * earlier (by name). {@code raw} is the activity as written, for the journal; {@code controls} are ignored.
 *
 * <p>Thread-safe: immutable.
 */
public record Activity(String type, String name, Provider provider, Tolerance tolerance, Pauses pauses,
                       boolean background, String ref, Map<String, Object> raw) {

  public static final String PROBE = "probe";
  public static final String ACTION = "action";

  public boolean isRef() {
    return ref != null;
  }
}
