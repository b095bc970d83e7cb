package dev.satellite.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed experiment: Chaos Toolkit's format ({@code title}, {@code description}, {@code tags},
 * {@code configuration}, {@code secrets}, {@code steady-state-hypothesis}, {@code method}, {@code rollbacks}) plus
 * Satellite's top-level keys, which Chaos Toolkit ignores: {@code cluster}, {@code load}, {@code seed},
 * {@code safeguard}. {@code raw} is the document as parsed, for the journal; {@code source} the file it came from.
 *
 * <p>Thread-safe: immutable.
 */
public record Experiment(String title, String description, List<String> tags, Map<String, Object> configuration,
                         Map<String, Object> secrets, Optional<Hypothesis> hypothesis, List<Activity> method,
                         List<Activity> rollbacks, Optional<ClusterSpec> cluster, Optional<LoadSpec> load,
                         Optional<Long> seed, boolean safeguard, Map<String, Object> raw, Path source) {
}
