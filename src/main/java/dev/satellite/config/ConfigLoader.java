package dev.satellite.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the effective configuration from its layers: built-in defaults (the embedded
 * {@code conf/node.yaml}), then the config file, then {@code SATELLITE_*} environment variables, then
 * {@code --set key=value} — each layer winning over the one before — and binds and validates it once.
 *
 * <p>Thread-safe: stateless.
 */
public final class ConfigLoader {

  /** Where the embedded default lives in the jar, and where {@code run} looks for a file by default. */
  public static final String DEFAULT_PATH = "conf/node.yaml";
  public static final String ENV_PREFIX = "SATELLITE_";

  private ConfigLoader() {
  }

  /** What was loaded: the bound config, the effective tree (for display), and warnings to log once logging is up. */
  public record Loaded(SatelliteConfig config, Map<String, Object> tree, String source, List<String> warnings) {
  }

  /**
   * @param file  the {@code --config} file, or null to use {@code conf/node.yaml} when present, else the defaults
   * @param env   the process environment
   * @param sets  {@code key=value} overrides from the command line
   * @param workDir the directory relative paths resolve against
   * @throws ConfigException listing every problem found
   */
  public static Loaded load(Path file, Map<String, String> env, List<String> sets, Path workDir) {
    return load(file, env, sets, workDir, config -> List.of());
  }

  /**
   * As {@link #load(Path, Map, List, Path)}, with checks of the bound config that this layer cannot make itself
   * (that every actor type resolves, say); their problems are reported together with every other one.
   */
  public static Loaded load(Path file, Map<String, String> env, List<String> sets, Path workDir,
      Function<SatelliteConfig, List<String>> moreChecks) {
    Map<String, Object> defaults = embeddedDefaults();
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();

    String source = "built-in defaults";
    Map<String, Object> tree = ConfigTree.deepCopy(defaults);
    Path path = file != null ? workDir.resolve(file) : workDir.resolve(DEFAULT_PATH);
    if (file != null && !Files.isRegularFile(path)) {
      throw ConfigException.of("--config", "no such file: " + path);
    }
    if (Files.isRegularFile(path)) {
      String text;
      try {
        text = Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw ConfigException.of("--config", "cannot read " + path + ": " + e.getMessage());
      }
      tree = ConfigTree.overlay(defaults, ConfigTree.parse(text, path.toString()), problems);
      source = path.toString();
    }

    List<String> keys = ConfigTree.overridableKeys(defaults);
    Set<String> envNames = new HashSet<>();
    for (String key : keys) {
      String name = ConfigTree.envName(key);
      envNames.add(name);
      String value = env.get(name);
      if (value != null) {
        ConfigTree.set(tree, key, overrideValue(ConfigTree.get(defaults, key), value));
      }
    }
    env.keySet().stream()
        .filter(name -> name.startsWith(ENV_PREFIX) && !envNames.contains(name))
        .sorted()
        .forEach(name -> warnings.add("environment variable " + name + " names no config key; ignored"));

    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        problems.add("--set " + set + ": expected key=value");
        continue;
      }
      String key = set.substring(0, eq).trim();
      if (!keys.contains(key)) {
        problems.add(key + ": unknown key (given with --set)");
        continue;
      }
      ConfigTree.set(tree, key, overrideValue(ConfigTree.get(defaults, key), set.substring(eq + 1)));
    }

    for (String key : keys) {
      // one type per key, whatever layer set it: "18183" from the environment is 18183, as in the file
      Object value = ConfigTree.get(tree, key);
      if (value instanceof String text) {
        ConfigTree.set(tree, key, ConfigTree.typedLike(ConfigTree.get(defaults, key), text));
      }
    }

    // bind even when layering found problems (an unknown key is dropped, not fatal to the rest), so every problem
    // is reported at once
    ConfigReader reader = new ConfigReader(tree);
    SatelliteConfig config = SatelliteConfig.read(reader, workDir);
    problems.addAll(reader.problems());
    problems.addAll(moreChecks.apply(config));
    if (!problems.isEmpty()) {
      throw new ConfigException(new ArrayList<>(new LinkedHashSet<>(problems)));
    }
    ConfigTree.set(tree, "node.id", config.nodeId());
    return new Loaded(config, tree, source, warnings);
  }

  /**
   * A single override is kept as text when the key holds a scalar (it takes the type of the key's default later,
   * when it is one), and read as YAML when it holds a list or a section, so {@code --set 'x=[a, b]'} works.
   */
  private static Object overrideValue(Object defaultValue, String text) {
    if (defaultValue instanceof List || defaultValue instanceof Map) {
      return ConfigTree.parseValue(text);
    }
    return text;
  }

  /** The defaults tree: the {@code conf/node.yaml} the jar carries. */
  public static Map<String, Object> embeddedDefaults() {
    return ConfigTree.parse(embeddedDefaultsText(), "built-in " + DEFAULT_PATH);
  }

  public static String embeddedDefaultsText() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_PATH)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULT_PATH + " is missing from the class path; the build is broken");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
