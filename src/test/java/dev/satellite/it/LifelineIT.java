package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started with {@code --lifeline stdin} exits when its parent dies, even by SIGKILL (checked by PID). */
class LifelineIT {

  @TempDir
  Path dir;

  private final List<Long> started = new ArrayList<>();

  @AfterEach
  void leaveNothing() {
    RunnerProcess.killAll(started);
  }

  @Test
  void aNodeExitsWhenTheParentHoldingItsStdinIsKilled() throws Exception {
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Path fifo = dir.resolve("lifeline");
    Path pidFile = dir.resolve("node.pid");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the parent holds the only write end of the node's stdin (fd 3), then waits
    String script = "mkfifo " + fifo + "; " + java + " -jar " + NodeProcess.jar().toAbsolutePath()
        + " run --lifeline stdin --set http.host=127.0.0.1 --set http.port=" + http + " --set admin.port=" + admin
        + " < " + fifo + " > " + dir.resolve("node.log") + " 2>&1 & echo $! > " + pidFile + "; exec 3> " + fifo + "; wait";
    Process parent = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).start();
    started.add(parent.pid());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!(Files.exists(pidFile) && Files.size(pidFile) > 0) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    long node = Long.parseLong(Files.readString(pidFile).strip());
    started.add(node);
    awaitReady(admin, deadline);
    assertThat(ProcessHandle.of(node).map(ProcessHandle::isAlive)).contains(true);

    parent.destroyForcibly(); // SIGKILL
    parent.waitFor(10, TimeUnit.SECONDS);
    assertThat(RunnerProcess.awaitGone(List.of(node), Duration.ofSeconds(5))).as("node alive 5 s after its parent was killed")
        .isEmpty();
    assertThat(Files.readString(dir.resolve("node.log"))).contains("lifeline broken");
  }

  private static void awaitReady(int admin, long deadline) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    while (System.nanoTime() < deadline) {
      try {
        var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + admin + "/health/ready"))
            .timeout(Duration.ofSeconds(1)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node not ready in time");
  }

  @Test
  void killingTheRunnerTakesEveryNodeItStartedWithIt() throws Exception {
    Path experiment = dir.resolve("e.yaml");
    Files.writeString(experiment, """
        title: runner killed
        description: the runner is SIGKILLed while its nodes run
        cluster: {nodes: 2}
        method:
          - {type: action, name: wait, provider: {type: process, path: sh, arguments: ["-c", "sleep 120"]}}
        """);
    Path state = dir.resolve("state");
    try (RunnerProcess p = RunnerProcess.start(dir, "chaos", "run", experiment.toString(), "--state-dir", state.toString())) {
      p.awaitOutput("method", Duration.ofSeconds(120));
      List<Long> nodes = RunnerProcess.nodePids(state);
      started.addAll(nodes);
      assertThat(nodes).hasSize(2);
      p.signal("KILL");
      p.awaitExit(Duration.ofSeconds(10));
      assertThat(RunnerProcess.awaitGone(nodes, Duration.ofSeconds(5))).as("nodes alive 5 s after the runner was killed")
          .isEmpty();
    }
  }
}
