package dev.satellite.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version the journal names the runner by ({@code chaoslib-version: satellite-<version>}), read from the jar's
 * {@code satellite-version.properties} without importing the config layer.
 *
 * <p>Thread-safe: computed once.
 */
final class RunnerVersion {

  private static final String VERSION = load();

  private RunnerVersion() {
  }

  static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = RunnerVersion.class.getResourceAsStream("/satellite-version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
