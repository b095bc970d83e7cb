package dev.satellite.support;

import dev.satellite.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds configs for tests: built-in defaults on free loopback ports, plus the given overrides. */
public final class TestConfigs {

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private TestConfigs() {
  }

  public static int freePort() {
    // the kernel may hand the port it just freed out again: two calls in a row (a node's http and admin ports)
    // once got the same one, so a port is handed out at most once per test JVM
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
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
