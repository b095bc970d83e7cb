package dev.satellite.config;

import java.util.List;

/**
 * The configuration cannot be used. Carries one line per problem, each naming the key at fault, so
 * the CLI can print them and exit 2 without a stack trace.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("; ", problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public static ConfigException of(String key, String message) {
    return new ConfigException(List.of(key + ": " + message));
  }

  /** One line per problem, each of the form {@code key: what is wrong}. */
  public List<String> problems() {
    return problems;
  }
}
