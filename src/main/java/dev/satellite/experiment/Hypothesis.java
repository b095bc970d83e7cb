package dev.satellite.experiment;

import java.util.List;

/**
 * The steady-state hypothesis: a title and probes, each with a tolerance.
 *
 * <p>Thread-safe: immutable.
 */
public record Hypothesis(String title, List<Activity> probes) {
}
