package dev.satellite.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker runs here, so the Dockerfile's pieces are checked against what is tested without it: its runtime stage
 * runs the script LinkedRuntimeIT runs, on Java 25, and the final stage starts the launcher that script writes, at
 * the path the runtime was made at, as the user the Deployment runs as, with the JVM flags a memory-limited
 * container needs.
 */
class DockerfileTest {

  @Test
  void theImageRunsTheLauncherOfTheRuntimeTheScriptBuildsAsTheDeploymentsUser() throws Exception {
    String docker = Files.readString(Path.of("Dockerfile"));
    List<String> stages = List.of(docker.split("(?m)^FROM "));
    assertThat(stages).hasSize(4); // the comment before the first FROM, and three stages
    String runtime = stages.get(2);
    String image = stages.get(3);
    assertThat(runtime).startsWith("eclipse-temurin:25-jdk");
    Matcher script = Pattern.compile("RUN bash image/runtime.sh .*--out (\\S+)").matcher(runtime);
    assertThat(script.find()).as(runtime).isTrue();
    String home = script.group(1);
    assertThat(Files.readString(Path.of("image/runtime.sh"))).contains("$out/bin/satellite");
    assertThat(image).startsWith("debian:bookworm-slim")
        .contains("COPY --from=runtime " + home + " " + home)
        .contains("ENTRYPOINT [\"" + home + "/bin/satellite\"]")
        .contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError");
    Matcher opts = Pattern.compile("(?m)^ENV JAVA_OPTS=\"([^\"]*)\"$").matcher(image);
    assertThat(opts.find()).as(image).isTrue();
    assertThat(opts.group(1)).as("G1 by name: under 1.75 GiB the JVM would pick the serial collector").contains("-XX:+UseG1GC");
    Map<String, Object> env = BaseManifests.list(BaseManifests.container().get("env")).stream().map(BaseManifests::map)
        .filter(e -> "JAVA_OPTS".equals(e.get("name"))).findFirst().orElseThrow();
    assertThat(env.get("value")).as("the Deployment starts from the image's JVM flags").isEqualTo(opts.group(1));
    Matcher user = Pattern.compile("(?m)^USER (\\d+)$").matcher(image);
    assertThat(user.find()).isTrue();
    Map<String, Object> security = BaseManifests.map(BaseManifests.podSpec().get("securityContext"));
    assertThat(security.get("runAsUser")).isEqualTo(Integer.parseInt(user.group(1)));
  }
}
