package dev.satellite.cli;

import dev.satellite.config.ConfigLoader;
import dev.satellite.services.ActorTypes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that reads the config shares: {@code --config} and {@code --set}. */
public final class ConfigOptions {

  @Option(names = "--config", paramLabel = "FILE",
      description = "Config file (YAML). Default: conf/node.yaml when present, else the built-in defaults.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one config key, e.g. --set http.port=8081 (repeatable; wins over SATELLITE_* variables).")
  List<String> sets = new ArrayList<>();

  /** Loads and validates the config, including that every actor type in the supervision tree resolves. */
  ConfigLoader.Loaded load(List<String> extraSets) {
    List<String> all = new ArrayList<>(sets);
    all.addAll(extraSets);
    return ConfigLoader.load(config, environment(), all, Path.of("").toAbsolutePath(),
        bound -> ActorTypes.validate(bound.supervision().root(), "supervision."));
  }

  static Map<String, String> environment() {
    return System.getenv();
  }
}
