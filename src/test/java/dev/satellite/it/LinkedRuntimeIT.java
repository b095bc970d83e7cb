package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's runtime, built without Docker: {@code image/runtime.sh} links a runtime from the JDK running this test
 * (the same script the Dockerfile runs on Java 25), with its start-up archive from a training run; the node starts
 * on it clustered — Hazelcast finds every module it loads by name — serves, and loads its classes and Hazelcast's from
 * the archive (the training run is clustered too).
 */
class LinkedRuntimeIT {

  @TempDir
  Path dir;

  @Test
  void aNodeRunsClusteredOnTheLinkedRuntimeWithItsArchive() throws Exception {
    Path jdk = Path.of(System.getProperty("java.home"));
    Assumptions.assumeTrue(Files.isExecutable(jdk.resolve("bin/jlink")) && Files.isExecutable(jdk.resolve("bin/jdeps")),
        "skipped: the JDK running the tests (" + jdk + ") has no jlink/jdeps, so no runtime can be linked from it");
    Path out = dir.resolve("runtime");
    int trainHttp = TestConfigs.freePort();
    int trainAdmin = TestConfigs.freePort();
    ProcessBuilder build = new ProcessBuilder("bash", "image/runtime.sh", "--jar", NodeProcess.jar().toString(),
        "--out", out.toString(), "--train-seconds", "2").redirectErrorStream(true);
    build.environment().putAll(Map.of("JAVA_HOME", jdk.toString(), "RUNTIME_TRAIN_HTTP_PORT", String.valueOf(trainHttp),
        "RUNTIME_TRAIN_ADMIN_PORT", String.valueOf(trainAdmin)));
    build.environment().keySet().removeIf(k -> k.startsWith("SATELLITE_"));
    Process p = build.start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(said).isZero();
    assertThat(said).contains("runtime: Java " + Runtime.version().feature());
    List<String> modules = List.of(Files.readString(out.resolve("app/modules")).trim().split(","));
    assertThat(modules).contains("java.base", "jdk.net", "jdk.naming.dns").doesNotContain("java.desktop");
    Path archive = out.resolve(Runtime.version().feature() >= 25 ? "app/satellite.aot" : "app/satellite.jsa");
    assertThat(archive).isNotEmptyFile();

    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Path classes = dir.resolve("classes.log");
    try (NodeProcess node = NodeProcess.startCommand(dir, Map.of("JAVA_OPTS", "-Xlog:class+load:file=" + classes,
        "SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_HTTP_PORT", String.valueOf(http),
        "SATELLITE_ADMIN_PORT", String.valueOf(admin), "SATELLITE_CLUSTER_NAME", "rt-" + UUID.randomUUID()),
        http, admin, List.of(out.resolve("bin/satellite").toString(), "run", "--cluster"))) {
      node.awaitReady(Duration.ofSeconds(60));
      assertThat(node.get("/hello").body()).isEqualTo("Hello, World!");
      HttpResponse<String> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + http + "/events")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"linked\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(events.statusCode()).as(events.body()).isEqualTo(202);
      assertThat(node.send(admin, "/metrics", Map.of()).body()).contains("satellite_cluster_members 1.0");
      String output = node.output();
      assertThat(output).as("a module the node loads by name is missing").doesNotContain("ClassNotFound")
          .doesNotContain("NoClassDefFound").doesNotContain("ExtendedSocketOptions").doesNotContain(" ERROR ")
          // no warning about what the node does not use (Hazelcast's CP subsystem) or relies on (Unsafe, Java 23+)
          .doesNotContain("CP Subsystem").doesNotContain("sun.misc.Unsafe");
      // the node's own classes (no JDK archive holds them) come from the archive the training run made, and so do
      // Hazelcast's: the training run is clustered, as the node runs on Kubernetes
      List<String> loaded = Files.readAllLines(classes);
      assertFromArchive(loaded, " dev.satellite.", 200);
      assertFromArchive(loaded, " com.hazelcast.", 2000);
    }
  }

  private static void assertFromArchive(List<String> loaded, String prefix, int atLeast) {
    long fromArchive = loaded.stream().filter(l -> l.contains(prefix) && l.contains("shared objects file")).count();
    long fromJar = loaded.stream().filter(l -> l.contains(prefix) && !l.contains("shared objects file")).count();
    assertThat(fromArchive).as("classes%s* loaded from the archive (%d from the jar)", prefix, fromJar)
        .isGreaterThan(atLeast).isGreaterThan(fromJar);
  }
}
