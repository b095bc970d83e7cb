package dev.satellite.support;

import dev.satellite.config.ConfigLoader;
import dev.satellite.experiment.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds configs for tests: built-in defaults on free loopback ports, plus the given overrides. */
public final class TestConfigs {

  private static final FreePorts PORTS = new FreePorts(); // one per test JVM: no two tests share a port

  private TestConfigs() {
  }

  public static int freePort() {
    return PORTS.next();
  }

  /** An empty directory, so the loader finds no conf/node.yaml and uses the built-in defaults. */
  public static Path emptyDir() {
    try {
      return Files.createTempDirectory("satellite-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ConfigLoader.Loaded node(String... sets) {
    List<String> all = new ArrayList<>(List.of(
        "http.host=127.0.0.1",
        "http.port=" + freePort(),
        "admin.port=" + freePort(),
        "http.instances=1"));
    all.addAll(Arrays.asList(sets));
    return ConfigLoader.load(null, Map.of(), all, emptyDir());
  }
}
