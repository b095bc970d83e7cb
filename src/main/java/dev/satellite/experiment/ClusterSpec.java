package dev.satellite.experiment;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Satellite's top-level {@code cluster} key: how many local nodes the runner starts, an optional node config file
 * (relative to the working directory) and config keys to set on every node.
 *
 * <p>Thread-safe: immutable.
 */
public record ClusterSpec(int nodes, Optional<Path> config, Map<String, String> set) {

  public static final int MAX_NODES = 9;
}
