package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chaos validate} and {@code chaos run} from the built jar: exit codes, a run interrupted by SIGINT or SIGTERM
 * (rollbacks run, journal written, no node left behind — checked by PID), and {@code chaos node} acting on the local
 * cluster from an experiment's process activities.
 */
class ChaosRunIT {

  @TempDir
  Path dir;

  private final List<Long> started = new ArrayList<>();

  @AfterEach
  void leaveNothing() {
    RunnerProcess.killAll(started);
  }

  private Path write(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private JsonObject journal() throws Exception {
    return new JsonObject(Files.readString(dir.resolve("journal.json")));
  }

  private static List<String> names(JsonArray runs) {
    return runs.stream().map(o -> ((JsonObject) o).getJsonObject("activity").getString("name")).toList();
  }

  @Test
  void validateExitsZeroWithASummaryOrTwoWithOneLinePerProblem() throws Exception {
    Path good = write("good.yaml", "title: t\ndescription: d\nmethod: []\n");
    try (RunnerProcess p = RunnerProcess.start(dir, "chaos", "validate", good.toString())) {
      assertThat(p.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(p.stdout()).startsWith("experiment OK: \"t\"");
    }
    Path bad = write("bad.yaml", "title: t\nmethod:\n  - {type: action, name: a, provider: {type: http, url: 5}}\n");
    try (RunnerProcess p = RunnerProcess.start(dir, "chaos", "validate", bad.toString())) {
      assertThat(p.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.stderr().lines()).containsExactly(
          "experiment error: description: is required (a non-empty string)",
          "experiment error: method[0].provider.url: must be a non-empty string");
    }
    try (RunnerProcess p = RunnerProcess.start(dir, "chaos", "run", bad.toString())) {
      assertThat(p.awaitExit(Duration.ofSeconds(30))).as("run refuses a bad file").isEqualTo(2);
      assertThat(Files.exists(dir.resolve("journal.json"))).isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void aSignalInterruptsTheRunWhichRollsBackWritesItsJournalAndLeavesNoNode(String signal) throws Exception {
    Path marker = dir.resolve("rolled-back");
    Path experiment = write("e.yaml", """
        title: interrupted
        description: a long method, interrupted by a signal
        cluster: {nodes: 1}
        method:
          - type: action
            name: wait
            provider: {type: process, path: sh, arguments: ["-c", "sleep 120"]}
        rollbacks:
          - type: action
            name: revert-faults
            provider:
              type: http
              method: DELETE
              url: ${node1_admin_url}/admin/chaos/faults
              headers: {Authorization: "Bearer ${admin_token}"}
          - type: action
            name: mark
            provider: {type: process, path: sh, arguments: ["-c", "echo done > %s"]}
        """.formatted(marker));
    Path state = dir.resolve("state");
    try (RunnerProcess p = RunnerProcess.start(dir, "chaos", "run", experiment.toString(), "--state-dir", state.toString())) {
      p.awaitOutput("method", Duration.ofSeconds(120));
      List<Long> nodes = RunnerProcess.nodePids(state);
      started.addAll(nodes);
      assertThat(nodes).hasSize(1);
      Thread.sleep(500);
      p.signal(signal);
      assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      JsonObject j = journal();
      assertThat(j.getString("status")).isEqualTo("interrupted");
      assertThat(names(j.getJsonArray("rollbacks"))).containsExactly("revert-faults", "mark");
      assertThat(j.getJsonArray("rollbacks").getJsonObject(0).getString("status")).isEqualTo("succeeded");
      assertThat(Files.exists(marker)).isTrue();
      assertThat(RunnerProcess.awaitGone(nodes, Duration.ofSeconds(5))).as("nodes alive after the runner exited").isEmpty();
      assertThat(p.stdout()).contains("SIG" + signal + ": interrupting the run");
    }
  }

  @Test
  void chaosNodeCommandsActOnTheLocalClusterFromProcessActivities() throws Exception {
    Path experiment = write("nodes.yaml", """
        title: node operations
        description: kill, restart, add, freeze and thaw through the jar's own CLI
        cluster: {nodes: 2}
        method:
          - {type: action, name: kill-n2, provider: {type: process, path: java, arguments: "-jar ${satellite_jar} chaos node kill n2"}, pauses: {after: 1}}
          - {type: action, name: restart-n2, provider: {type: process, path: java, arguments: ["-jar", "${satellite_jar}", "chaos", "node", "restart", "n2"]}}
          - {type: action, name: add-n3, provider: {type: process, path: java, arguments: ["-jar", "${satellite_jar}", "chaos", "node", "add", "n3"]}}
          - {type: action, name: freeze-n1, provider: {type: process, path: java, arguments: ["-jar", "${satellite_jar}", "chaos", "node", "freeze", "n1"]}, pauses: {after: 1}}
          - {type: action, name: thaw-n1, provider: {type: process, path: java, arguments: ["-jar", "${satellite_jar}", "chaos", "node", "thaw", "n1"]}}
          - {type: action, name: stop-n3, provider: {type: process, path: java, arguments: ["-jar", "${satellite_jar}", "chaos", "node", "stop", "n3"]}}
          - {type: action, name: unknown, provider: {type: process, path: java, arguments: ["-jar", "${satellite_jar}", "chaos", "node", "kill", "n9"]}}
        """);
    Path state = dir.resolve("state");
    try (RunnerProcess p = RunnerProcess.start(dir, "chaos", "run", experiment.toString(), "--state-dir", state.toString())) {
      p.awaitOutput("method", Duration.ofSeconds(120));
      started.addAll(RunnerProcess.nodePids(state));
      assertThat(p.awaitExit(Duration.ofSeconds(240))).as(p.output()).isZero();
      // the run began, and restart and add returned, once the nodes heard each other: not merely each one ready
      assertThat(p.output().lines().filter(l -> l.contains("cluster formed: ")).map(l -> l.replaceFirst(" \\(.*", "")
          .strip())).as(p.output()).containsExactly("cluster formed: n1, n2 serve and hear each other",
          "cluster formed: n1, n2 serve and hear each other", "cluster formed: n1, n2, n3 serve and hear each other");
      JsonObject j = journal();
      JsonArray run = j.getJsonArray("run");
      assertThat(names(run)).containsExactly("kill-n2", "restart-n2", "add-n3", "freeze-n1", "thaw-n1", "stop-n3", "unknown");
      for (int i = 0; i < 6; i++) {
        assertThat(run.getJsonObject(i).getJsonObject("output").getInteger("status")).as(run.getJsonObject(i).encode()).isZero();
      }
      assertThat(run.getJsonObject(6).getJsonObject("output").getInteger("status")).isEqualTo(1);
      assertThat(run.getJsonObject(6).getJsonObject("output").getString("stderr")).contains("no node named n9");
      List<String> changes = j.getJsonArray("membership").stream()
          .map(o -> ((JsonObject) o).getString("node") + ":" + ((JsonObject) o).getString("state")).toList();
      assertThat(changes).contains("n2:down", "n2:serving", "n3:serving", "n1:frozen", "n3:stopped");
      assertThat(j.getJsonArray("markers").getJsonObject(0).getString("kind")).isEqualTo("fault");
      List<Long> all = RunnerProcess.nodePids(state);
      started.addAll(all);
      assertThat(all).hasSize(3);
      assertThat(RunnerProcess.awaitGone(all, Duration.ofSeconds(5))).isEmpty();
    }
  }

  @Test
  void aClusterThatCannotStartAbortsTheRunWithItsReasonInTheJournal() throws Exception {
    Path experiment = write("broken.yaml", """
        title: broken cluster
        description: a node config that cannot start
        cluster: {nodes: 1, set: {http.port: 0}}
        method: []
        """);
    Path state = dir.resolve("state");
    try (RunnerProcess p = RunnerProcess.start(dir, "chaos", "run", experiment.toString(), "--state-dir", state.toString())) {
      assertThat(p.awaitExit(Duration.ofSeconds(120))).isEqualTo(1);
      started.addAll(RunnerProcess.nodePids(state));
      JsonObject j = journal();
      assertThat(j.getString("status")).isEqualTo("aborted");
      assertThat(j.getJsonArray("satellite_notes").getString(0)).contains("node n1 exited with 2 before it was ready")
          .contains("http.port");
      assertThat(p.stdout()).contains("run aborted: node n1 exited with 2");
      assertThat(RunnerProcess.awaitGone(RunnerProcess.nodePids(state), Duration.ofSeconds(5))).isEmpty();
    }
  }
}
