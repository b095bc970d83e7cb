package dev.satellite.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this build of Satellite carries (from the jar's build-time resource). Thread-safe. */
public final class Version {

  private static final String VERSION = load();

  private Version() {
  }

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Version.class.getClassLoader().getResourceAsStream("satellite-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
