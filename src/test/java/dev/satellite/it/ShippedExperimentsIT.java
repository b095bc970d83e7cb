package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every experiment shipped in {@code chaos/experiments/} passes against the current node, run by the jar's own
 * runner in its short variant (shorter load and pauses through the files' {@code {type: env}} configuration); the
 * full variants are what the README runs. Beyond the verdict, each test reads the journal for what the experiment
 * measured and holds it to the experiment's claim.
 */
class ShippedExperimentsIT {

  @TempDir
  Path dir;

  /** What the last run printed, for the failure messages of the checks that read its journal. */
  private String output = "";

  private JsonObject run(String experiment, Map<String, String> env) throws Exception {
    Path journal = dir.resolve(experiment + ".json");
    try (RunnerProcess runner = RunnerProcess.start(dir, env, "chaos", "run",
        Path.of("chaos/experiments", experiment + ".yaml").toAbsolutePath().toString(), "--journal", journal.toString(),
        "--state-dir", dir.resolve("state-" + experiment).toString())) { // inside the test's own directory
      int exit = runner.awaitExit(Duration.ofMinutes(3));
      assertThat(exit).as("verdict of %s:%n%s", experiment, runner.output()).isZero();
      assertThat(Files.exists(dir.resolve("chaos-report.html"))).isTrue();
      output = runner.output();
      return new JsonObject(Files.readString(journal));
    }
  }

  /** The activity's result; it must have succeeded (its output is what the test reads). */
  private JsonObject activity(JsonObject journal, String name) {
    for (Object o : journal.getJsonArray("run")) {
      JsonObject r = (JsonObject) o;
      if (name.equals(r.getJsonObject("activity").getString("name"))) {
        assertThat(r.getString("status")).as("%s: %s%n%s", name, r.encodePrettily(), output).isEqualTo("succeeded");
        return r;
      }
    }
    throw new AssertionError("no activity " + name + " in the journal");
  }

  private double number(JsonObject journal, String activity) {
    return Double.parseDouble(String.valueOf(activity(journal, activity).getJsonObject("output").getValue("body")));
  }

  private static JsonObject load(JsonObject journal) {
    return journal.getJsonObject("summary").getJsonObject("load");
  }

  /** The last second of the timeline with an error, in seconds from the start (-1 when none). */
  private static long lastErrorSecond(JsonObject journal) {
    long last = -1;
    for (Object o : journal.getJsonArray("timeline")) {
      JsonObject s = (JsonObject) o;
      if (s.getLong("errors") > 0) {
        last = s.getLong("t");
      }
    }
    return last;
  }

  private static double markerStart(JsonObject journal, String name) {
    for (Object o : journal.getJsonArray("markers")) {
      JsonObject m = (JsonObject) o;
      if (name.equals(m.getString("name"))) {
        return m.getDouble("start");
      }
    }
    throw new AssertionError("no marker " + name);
  }

  @Test
  void actorCrash() throws Exception {
    // the crashes keep their 5 s gaps: 2 s gaps put all four in the breaker's 10 s window, where one crash that fails
    // two requests opens it (5 failures) and the hypothesis after finds /hello refused
    JsonObject j = run("actor-crash", Map.of("CHAOS_SECONDS", "24"));
    assertThat(number(j, "hello-restarts")).as("one restart per crash").isEqualTo(4);
    assertThat(load(j).getDouble("errorRate")).isLessThanOrEqualTo(0.005);
    assertThat(load(j).getLong("sent")).isEqualTo(4800);
    // the request that crashed it fails; those queued for the crashed instance behind it go to another one
    assertThat(load(j).getLong("errors")).as("failed requests: one per crash; %s", load(j)).isEqualTo(4);
  }

  @Test
  void crashLoop() throws Exception {
    JsonObject j = run("crash-loop", Map.of("CHAOS_SECONDS", "12"));
    assertThat(activity(j, "the-node-exits").getJsonObject("output").getString("stdout")).contains("node n1 exited with 70");
    JsonArray membership = j.getJsonArray("membership");
    List<String> states = membership.stream().map(o -> ((JsonObject) o).getString("state")).toList();
    assertThat(states).containsSubsequence("serving", "down", "starting", "serving");
    assertThat(output).as("the console says why the node went down").contains("node n1: down (exited with 70)")
        .contains("gave up");
  }

  @Test
  void breakerShields() throws Exception {
    JsonObject j = run("breaker-shields", Map.of("CHAOS_SECONDS", "15"));
    assertThat(number(j, "breaker-state-of-hello")).as("open or half-open").isPositive();
    assertThat(number(j, "root-gave-up-never")).isZero();
  }

  @Test
  void nodeKill() throws Exception {
    JsonObject j = run("node-kill", Map.of("CHAOS_SECONDS", "20", "CHAOS_SETTLE", "5"));
    assertThat(load(j).getDouble("errorRate")).isLessThan(0.01);
    long last = lastErrorSecond(j);
    if (last >= 0) {
      assertThat(last).as("recovered within 2 s of the kill").isLessThanOrEqualTo((long) markerStart(j, "kill-n2") + 2);
    }
  }

  @Test
  void nodeFreeze() throws Exception {
    JsonObject j = run("node-freeze", Map.of("CHAOS_SECONDS", "25", "CHAOS_SETTLE", "4"));
    assertThat(activity(j, "n2-exits-on-thaw").getJsonObject("output").getString("stdout")).contains("node n2 exited with 70");
    long last = lastErrorSecond(j);
    if (last >= 0) {
      assertThat(last).as("recovered within 5 s of the freeze").isLessThanOrEqualTo((long) markerStart(j, "freeze-n2") + 5);
    }
  }

  @Test
  void slowUpstream() throws Exception {
    JsonObject j = run("slow-upstream", Map.of("CHAOS_SECONDS", "10"));
    assertThat(number(j, "times-the-breaker-of-up-opened")).isPositive();
    assertThat(load(j).getJsonObject("byStatus").getLong("504", 0L)).as("the deadline answered").isPositive();
  }

  @Test
  void deadUpstream() throws Exception {
    JsonObject j = run("dead-upstream", Map.of("CHAOS_SECONDS", "10"));
    assertThat(number(j, "times-the-breaker-of-up-opened")).isPositive();
  }

  @Test
  void overload() throws Exception {
    JsonObject j = run("overload", Map.of("CHAOS_SECONDS", "10"));
    JsonObject byStatus = load(j).getJsonObject("byStatus");
    assertThat(byStatus.fieldNames()).as("answered, or refused early").isSubsetOf("200", "429", "503");
    assertThat(byStatus.getLong("429", 0L) + byStatus.getLong("503", 0L)).as("most of ten times its capacity refused")
        .isGreaterThan(load(j).getLong("sent") / 2);
    assertThat(byStatus.getLong("200", 0L)).as("and served what it could").isPositive();
  }

  @Test
  void hungActor() throws Exception {
    JsonObject j = run("hung-actor", Map.of("CHAOS_SECONDS", "15"));
    assertThat(number(j, "whoami-restarted-as-unresponsive")).isPositive();
  }

  @Test
  void monkeyDay() throws Exception {
    JsonObject j = run("monkey-day", Map.of("CHAOS_SECONDS", "24"));
    assertThat(number(j, "monkey-crashes")).as("gaps of 3 to 9 s: at least 2 in 24 s").isGreaterThanOrEqualTo(2);
    assertThat(number(j, "restarts")).isGreaterThanOrEqualTo(number(j, "monkey-crashes"));
  }
}
