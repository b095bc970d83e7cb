package dev.satellite.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs without a cluster, against a fake service on loopback whose health flips when {@code POST /break} is
 * called, with {@code process} activities (sh) that leave traces in files.
 */
class ExperimentRunTest {

  @TempDir
  Path dir;

  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> console = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startService() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().toString();
      requests.add(exchange.getRequestMethod() + " " + path);
      if (path.startsWith("/break")) {
        status.set(503);
      } else if (path.startsWith("/recover")) {
        status.set(200);
      }
      byte[] body = ("{\"status\": \"" + (status.get() == 200 ? "UP" : "DOWN") + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(path.startsWith("/health") ? status.get() : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopService() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static final String HYPOTHESIS = """
      steady-state-hypothesis:
        title: the service is healthy
        probes:
          - type: probe
            name: healthy
            tolerance: 200
            provider: {type: http, url: "${base}/health", timeout: 2}
          - type: probe
            name: says-up
            tolerance: {type: jsonpath, path: $.status, expect: UP, target: body}
            provider: {type: http, url: "${base}/health", timeout: 2}
      """;

  private String rollbacks() {
    return """
        rollbacks:
          - type: action
            name: heal
            provider: {type: http, method: POST, url: "${base}/recover"}
          - type: action
            name: mark
            provider: {type: process, path: sh, arguments: ["-c", "echo rolled-back > %s"]}
        """.formatted(dir.resolve("rolled-back"));
  }

  private Experiment experiment(String body) throws Exception {
    Path f = dir.resolve("e.yaml");
    Files.writeString(f, "title: t\ndescription: d\nconfiguration:\n  base: " + url() + "\n" + body);
    return ExperimentParser.parse(f);
  }

  private ExperimentRun run(Experiment e, Long seed) {
    return new ExperimentRun(e, new ExperimentRun.Options(Optional.of(dir.resolve("journal.json")),
        Optional.of(dir.resolve("report.html")), Optional.ofNullable(seed), Optional.of(dir.resolve("state")),
        Optional.empty(), dir, Map.of(), Duration.ofMillis(100), LocalCluster.Options.Timeouts.DEFAULTS),
        Clock.systemUTC(), console::add);
  }

  private JsonObject journal() throws IOException {
    return new JsonObject(Files.readString(dir.resolve("journal.json")));
  }

  private static List<String> names(JsonArray runs) {
    return runs.stream().map(o -> ((JsonObject) o).getJsonObject("activity").getString("name")).toList();
  }

  private boolean rolledBack() {
    return Files.exists(dir.resolve("rolled-back"));
  }

  @Test
  void aHypothesisThatHoldsPassesWithExitZeroAndRollsBack() throws Exception {
    int code = run(experiment(HYPOTHESIS + """
        method:
          - type: action
            name: poke
            provider: {type: http, method: POST, url: "${base}/poke", headers: {Content-Type: application/json}, arguments: {a: 1}}
        """ + rollbacks()), null).run();
    JsonObject j = journal();
    assertThat(code).isEqualTo(ExperimentRun.PASSED);
    assertThat(j.getString("status")).isEqualTo("completed");
    assertThat(j.getBoolean("deviated")).isFalse();
    assertThat(j.getJsonObject("steady_states").getJsonObject("before").getBoolean("steady_state_met")).isTrue();
    assertThat(j.getJsonObject("steady_states").getJsonObject("after").getBoolean("steady_state_met")).isTrue();
    assertThat(names(j.getJsonArray("run"))).containsExactly("poke");
    assertThat(names(j.getJsonArray("rollbacks"))).containsExactly("heal", "mark");
    assertThat(j.getJsonObject("summary").getString("verdict")).isEqualTo("passed");
    assertThat(j.getJsonArray("markers").getJsonObject(0).getString("kind")).isEqualTo("action");
    assertThat(j.getJsonObject("experiment").getString("title")).isEqualTo("t");
    assertThat(rolledBack()).isTrue();
    assertThat(Files.exists(dir.resolve("report.html"))).isTrue();
  }

  @Test
  void aHypothesisNotMetBeforeSkipsTheMethodButStillRollsBack() throws Exception {
    status.set(503);
    int code = run(experiment(HYPOTHESIS + """
        method:
          - type: action
            name: never
            provider: {type: http, method: POST, url: "${base}/never"}
        """ + rollbacks()), null).run();
    JsonObject j = journal();
    assertThat(code).isEqualTo(ExperimentRun.NOT_PASSED);
    assertThat(j.getString("status")).isEqualTo("completed");
    assertThat(j.getBoolean("deviated")).isFalse();
    assertThat(j.getJsonObject("steady_states").getJsonObject("before").getBoolean("steady_state_met")).isFalse();
    assertThat(j.getJsonObject("steady_states").getValue("after")).isNull();
    assertThat(j.getJsonArray("run")).isEmpty();
    assertThat(requests).doesNotContain("POST /never");
    assertThat(names(j.getJsonArray("rollbacks"))).containsExactly("heal", "mark");
    assertThat(j.getJsonObject("summary").getString("verdict")).isEqualTo("failed");
  }

  @Test
  void aProbeThatCannotRunFailsTheRun() throws Exception {
    int code = run(experiment("""
        steady-state-hypothesis:
          title: h
          probes:
            - {type: probe, name: refused, tolerance: 200, provider: {type: http, url: "http://127.0.0.1:1/x", timeout: 1}}
        method: []
        """ + rollbacks()), null).run();
    JsonObject j = journal();
    assertThat(code).isEqualTo(ExperimentRun.NOT_PASSED);
    assertThat(j.getString("status")).isEqualTo("failed");
    JsonObject probe = j.getJsonObject("steady_states").getJsonObject("before").getJsonArray("probes").getJsonObject(0);
    assertThat(probe.getString("status")).isEqualTo("failed");
    assertThat(probe.getBoolean("tolerance_met")).isFalse();
    assertThat(probe.getJsonArray("exception").getString(0)).contains("failed to connect");
    assertThat(rolledBack()).isTrue();
  }

  @Test
  void aFailedActivityIsRecordedTheMethodGoesOnAndRollbacksRun() throws Exception {
    int code = run(experiment(HYPOTHESIS + """
        method:
          - type: action
            name: refused
            provider: {type: http, url: "http://127.0.0.1:1/x", timeout: 1}
          - type: action
            name: too-slow
            provider: {type: process, path: sh, arguments: ["-c", "sleep 5"], timeout: 0.2}
          - type: action
            name: exits-3
            provider: {type: process, path: sh, arguments: "-c 'echo out; echo err >&2; exit 3'"}
        """ + rollbacks()), null).run();
    JsonObject j = journal();
    JsonArray run = j.getJsonArray("run");
    assertThat(names(run)).containsExactly("refused", "too-slow", "exits-3");
    assertThat(run.getJsonObject(0).getString("status")).isEqualTo("failed");
    assertThat(run.getJsonObject(1).getString("status")).isEqualTo("failed");
    assertThat(run.getJsonObject(1).getJsonArray("exception").getString(0)).contains("took too long");
    assertThat(run.getJsonObject(1).getDouble("duration")).isLessThan(3.0);
    assertThat(run.getJsonObject(2).getString("status")).as("a non-zero exit is output").isEqualTo("succeeded");
    assertThat(run.getJsonObject(2).getJsonObject("output").getMap())
        .containsEntry("status", 3).containsEntry("stdout", "out\n").containsEntry("stderr", "err\n");
    assertThat(rolledBack()).isTrue();
    assertThat(code).as("the hypothesis held: Chaos Toolkit's verdict too").isEqualTo(ExperimentRun.PASSED);
  }

  @Test
  void aHypothesisNotMetAfterTheMethodDeviatesWithExitOne() throws Exception {
    int code = run(experiment(HYPOTHESIS + """
        method:
          - type: action
            name: break
            provider: {type: http, method: POST, url: "${base}/break"}
        rollbacks:
          - type: action
            name: heal
            provider: {type: http, method: POST, url: "${base}/recover"}
        """), null).run();
    JsonObject j = journal();
    assertThat(code).isEqualTo(ExperimentRun.NOT_PASSED);
    assertThat(j.getBoolean("deviated")).isTrue();
    assertThat(j.getString("status")).isEqualTo("completed");
    assertThat(j.getJsonObject("summary").getString("verdict")).isEqualTo("deviated");
    assertThat(status.get()).as("healed by the rollback").isEqualTo(200);
    assertThat(console).as("the console says what the probe saw")
        .contains("    tolerance not met by healthy: status 503, body {\"status\":\"DOWN\"}");
  }

  @Test
  void aProbesOutputIsShownOnOneShortLine() {
    assertThat(ExperimentRunner.brief(Map.of("status", 1, "stdout", "a\n  b\n", "stderr", "")))
        .isEqualTo("exit 1, stdout a b");
    assertThat(ExperimentRunner.brief(Map.of("status", 2, "stdout", "", "stderr", "no node named n9\n")))
        .isEqualTo("exit 2, stdout , stderr no node named n9");
    assertThat(ExperimentRunner.brief(List.of(1, 2))).isEqualTo("[1,2]");
    assertThat(ExperimentRunner.brief(0.031)).isEqualTo("0.031");
    String longBody = ExperimentRunner.brief(Map.of("status", 200, "body", "x".repeat(1000)));
    assertThat(longBody).hasSize(ExperimentRunner.BRIEF_CHARS + 1).startsWith("status 200, body xxx").endsWith("x…");
  }

  @Test
  void theSafeguardAbortsAtTheFirstBreachAndRollsBack() throws Exception {
    long t0 = System.nanoTime();
    int code = run(experiment(HYPOTHESIS + "safeguard: true\n" + """
        method:
          - type: action
            name: break
            provider: {type: http, method: POST, url: "${base}/break"}
            pauses: {after: 20}
          - type: action
            name: never
            provider: {type: http, method: POST, url: "${base}/never"}
        """ + rollbacks()), null).run();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    JsonObject j = journal();
    assertThat(code).isEqualTo(ExperimentRun.NOT_PASSED);
    assertThat(ms).as("aborted long before the 20 s pause ended").isLessThan(10_000);
    assertThat(j.getString("status")).isEqualTo("aborted");
    assertThat(j.getBoolean("deviated")).isTrue();
    assertThat(j.getJsonObject("summary").getString("verdict")).isEqualTo("aborted");
    JsonArray during = j.getJsonObject("steady_states").getJsonArray("during");
    assertThat(during).isNotEmpty();
    assertThat(during.getJsonObject(during.size() - 1).getBoolean("steady_state_met")).isFalse();
    assertThat(requests).doesNotContain("POST /never");
    assertThat(j.getJsonObject("steady_states").getValue("after")).isNull();
    assertThat(rolledBack()).isTrue();
    assertThat(status.get()).isEqualTo(200);
  }

  @Test
  void anInterruptionStopsTheMethodRecordsItAndRollsBack() throws Exception {
    ExperimentRun run = run(experiment("""
        method:
          - type: action
            name: long
            provider: {type: process, path: sh, arguments: ["-c", "sleep 30"]}
          - type: action
            name: never
            provider: {type: http, method: POST, url: "${base}/never"}
        """ + rollbacks()), null);
    Thread signal = new Thread(() -> {
      try {
        Thread.sleep(700);
      } catch (InterruptedException e) {
        return;
      }
      run.interrupt("SIGINT");
    });
    signal.start();
    long t0 = System.nanoTime();
    int code = run.run();
    JsonObject j = journal();
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    assertThat(code).isEqualTo(ExperimentRun.NOT_PASSED);
    assertThat(j.getString("status")).isEqualTo("interrupted");
    assertThat(j.getJsonObject("summary").getString("verdict")).isEqualTo("aborted");
    assertThat(names(j.getJsonArray("run"))).containsExactly("long");
    assertThat(j.getJsonArray("run").getJsonObject(0).getJsonArray("exception").getString(0)).isEqualTo("interrupted");
    assertThat(requests).doesNotContain("POST /never");
    assertThat(names(j.getJsonArray("rollbacks"))).containsExactly("heal", "mark");
    assertThat(rolledBack()).isTrue();
  }

  @Test
  void backgroundActivitiesRunTogetherAndAreAwaitedAtTheEndOfTheMethod() throws Exception {
    long t0 = System.nanoTime();
    run(experiment("""
        method:
          - {type: action, name: bg1, background: true, provider: {type: process, path: sh, arguments: ["-c", "sleep 1"]}}
          - {type: action, name: bg2, background: true, provider: {type: process, path: sh, arguments: ["-c", "sleep 1"]}}
          - {type: probe, name: fg, provider: {type: http, url: "${base}/fg"}, pauses: {before: 0.2}}
        """), null).run();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    JsonObject j = journal();
    assertThat(names(j.getJsonArray("run"))).containsExactlyInAnyOrder("bg1", "bg2", "fg");
    assertThat(j.getJsonArray("run").stream().map(o -> ((JsonObject) o).getString("status"))).containsOnly("succeeded");
    assertThat(ms).as("two 1 s activities side by side").isLessThan(1900);
  }

  @Test
  void theSameSeedIsInTheJournalAndInTheConfiguration() throws Exception {
    String body = """
        seed: 5
        method:
          - type: action
            name: fault
            provider: {type: http, url: "${base}/fault", arguments: {seed: "${seed}"}}
        """;
    run(experiment(body), 77L).run();
    assertThat(journal().getLong("seed")).isEqualTo(77L);
    assertThat(requests).contains("GET /fault?seed=77");
    requests.clear();
    run(experiment(body), null).run();
    assertThat(journal().getLong("seed")).as("the file's seed without --seed").isEqualTo(5L);
    assertThat(requests).contains("GET /fault?seed=5");
    assertThat(console).contains("seed: 77", "seed: 5");
  }

  @Test
  void aReferenceRunsTheActivityItNamesAndPausesAreKept() throws Exception {
    long t0 = System.nanoTime();
    run(experiment(HYPOTHESIS + """
        method:
          - ref: healthy
          - type: probe
            name: paused
            pauses: {before: 0.3, after: 0.3}
            provider: {type: http, url: "${base}/paused"}
        """), null).run();
    JsonObject j = journal();
    assertThat(names(j.getJsonArray("run"))).containsExactly("healthy", "paused");
    assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(600);
  }

  @Test
  void theJournalHasChaosToolkitsKeysAndSatellitesAdditions() throws Exception {
    run(experiment(HYPOTHESIS + """
        method:
          - type: action
            name: fault
            provider: {type: http, method: POST, url: "${base}/admin/chaos/faults", arguments: {durationMs: 4000}}
        """), 3L).run();
    JsonObject j = journal();
    assertThat(j.fieldNames()).contains("chaoslib-version", "platform", "node", "experiment", "start", "end", "duration",
        "status", "deviated", "steady_states", "run", "rollbacks", "seed", "timeline", "markers", "membership", "summary");
    assertThat(j.getJsonObject("steady_states").fieldNames()).containsExactlyInAnyOrder("before", "after", "during");
    assertThat(java.time.Instant.parse(j.getString("end"))).isAfterOrEqualTo(java.time.Instant.parse(j.getString("start")));
    assertThat(j.getDouble("duration")).isPositive();
    JsonObject probe = j.getJsonObject("steady_states").getJsonObject("before").getJsonArray("probes").getJsonObject(0);
    assertThat(probe.fieldNames()).contains("activity", "output", "status", "start", "end", "duration", "tolerance_met");
    assertThat(probe.getJsonObject("output").getJsonObject("body").getString("status")).as("a JSON body is parsed").isEqualTo("UP");
    JsonObject marker = j.getJsonArray("markers").getJsonObject(0);
    assertThat(marker.getString("kind")).isEqualTo("fault");
    assertThat(marker.getDouble("end") - marker.getDouble("start")).as("the fault's durationMs").isEqualTo(4.0, org.assertj.core.data.Offset.offset(0.001));
    assertThat(j.getJsonObject("summary").fieldNames()).contains("verdict", "load");
  }

  @Test
  void theJournalSaysWhatTheLoadsTransportFailuresWere() throws Exception {
    // a port held bound but not listening: every connection to it is refused, and nothing else can take it
    try (java.net.Socket held = new java.net.Socket()) {
      held.bind(new InetSocketAddress("127.0.0.1", 0));
      run(experiment(HYPOTHESIS + """
          load: {rate: 20, duration: 0.3, routes: ["http://127.0.0.1:%d/hello"], timeout: 1}
          method: []
          """.formatted(held.getLocalPort())), null).run();
    }
    JsonObject j = journal();
    assertThat(j.getJsonObject("summary").getJsonObject("load").getJsonObject("byStatus").fieldNames())
        .containsExactly("connect");
    assertThat(j.getJsonArray("satellite_notes").getList()).singleElement().asString()
        .startsWith("load: the first 'connect' failure: ").contains("Connection refused");
    assertThat(console).anyMatch(line -> line.startsWith("load: the first 'connect' failure: "));
  }

  @Test
  void loadTargetsAreEveryRouteOnEveryNodeOrTheUrlItself() {
    LoadSpec spec = new LoadSpec(10, Duration.ofSeconds(1), List.of("/hello", "http://other:1/x"), 1, Duration.ofSeconds(1),
        Duration.ZERO);
    assertThat(RunLoad.targets(spec, List.of(java.net.URI.create("http://a:1"), java.net.URI.create("http://b:2"))))
        .extracting(java.net.URI::toString).containsExactly("http://a:1/hello", "http://b:2/hello", "http://other:1/x");
  }

  @Test
  void theSafeguardKeepsWatchingWhileTheRunWaitsForItsLoad() throws Exception {
    Experiment e = experiment(HYPOTHESIS + "safeguard: true\nmethod: []\n");
    Bindings b = ExperimentConfiguration.resolve(e, Map.of());
    Journal journal = new Journal(e, java.time.Instant.now(), 1);
    ExperimentRunner runner = new ExperimentRunner(e, new ActivityRunner(e, b, new HttpProviderRunner(),
        new ProcessProviderRunner(Map.of()), Clock.systemUTC(), console::add), journal, console::add, Duration.ofMillis(100));
    long t0 = System.nanoTime();
    runner.runUntilRollbacks(() -> {
      status.set(503); // the service breaks while the load is still running
      Thread.sleep(20_000);
    });
    runner.close();
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    assertThat(journal.status()).isEqualTo("aborted");
    assertThat(journal.deviated()).isTrue();
  }
}
