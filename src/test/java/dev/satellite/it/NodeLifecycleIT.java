package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a real process: start, serve, stop on SIGTERM; refuse a bad config. */
class NodeLifecycleIT {

  @TempDir
  Path dir;

  @Test
  void startsServesAndExitsZeroOnSigterm() throws Exception {
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Map<String, String> env = Map.of("SATELLITE_HTTP_PORT", String.valueOf(http), "SATELLITE_ADMIN_PORT", String.valueOf(admin),
        "SATELLITE_HTTP_HOST", "127.0.0.1");
    try (NodeProcess node = NodeProcess.start(dir, env, http, admin, "run", "--set", "shutdown.grace=5s")) {
      node.awaitReady(Duration.ofSeconds(30));
      var hello = node.get("/hello");
      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.body()).isEqualTo("Hello, World!");
      String metrics = node.send(admin, "/metrics", Map.of()).body();
      assertThat(metrics).contains("satellite_node_ready 1.0");
      // start to ready from the JVM's own start: the log line and the gauge give the same figure, which holds
      // the JVM's boot (more than the node's own start, which the line gives beside it)
      java.util.regex.Matcher line = java.util.regex.Pattern
          .compile("ready (\\d+) ms after the JVM started \\((\\d+) ms of it starting the node").matcher(node.output());
      assertThat(line.find()).as(node.output()).isTrue();
      long total = Long.parseLong(line.group(1));
      assertThat(total).isGreaterThan(Long.parseLong(line.group(2)));
      java.util.regex.Matcher gauge = java.util.regex.Pattern.compile("(?m)^satellite_start_to_ready_seconds ([0-9.E-]+)$")
          .matcher(metrics);
      assertThat(gauge.find()).as(metrics).isTrue();
      assertThat(Double.parseDouble(gauge.group(1)) * 1000).isCloseTo(total, org.assertj.core.data.Offset.offset(1.0));

      node.terminate();
      assertThat(node.awaitExit(Duration.ofSeconds(10))).as("exit code after SIGTERM").isZero();
      assertThat(node.output()).contains("SIGTERM received").contains("stopped after");
    }
  }

  @Test
  void aRequestInFlightAtSigtermFinishesBeforeTheProcessExitsZero() throws Exception {
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Map<String, String> env = Map.of("SATELLITE_HTTP_PORT", String.valueOf(http), "SATELLITE_ADMIN_PORT", String.valueOf(admin),
        "SATELLITE_HTTP_HOST", "127.0.0.1",
        // echo answers after 1.5 s; the route's deadline is long enough for it
        "SATELLITE_SUPERVISION_CHILDREN", "[{id: hello, actor: hello}, {id: whoami, actor: whoami},"
            + " {id: echo, actor: echo, settings: {delay: 1500ms}}]",
        "SATELLITE_ROUTES", "[{path: /echo, methods: [POST], actor: echo, timeout: 5s}]");
    try (NodeProcess node = NodeProcess.start(dir, env, http, admin, "run", "--set", "shutdown.grace=10s")) {
      node.awaitReady(Duration.ofSeconds(30));
      java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
      var inFlight = client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + http + "/echo"))
              .header("content-type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
              .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      Thread.sleep(300); // the request is with the actor now
      node.terminate();
      var answer = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as("the in-flight request is answered").isEqualTo(200);
      assertThat(answer.body()).isEqualTo("{\"n\":1}");
      assertThat(node.awaitExit(Duration.ofSeconds(15))).isZero();
    }
  }

  @Test
  void badConfigFileExitsTwoNamingTheKey() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "http:\n  port: 99999\n");
    try (NodeProcess p = NodeProcess.start(dir, Map.of(), 0, 0, "run", "--config", bad.toString())) {
      assertThat(p.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.errors().strip()).isEqualTo("config error: http.port: must be between 1 and 65535, got 99999");
    }
  }

  /** A Hazelcast file of the user's is checked against Hazelcast's schema (the built-in ones are not, at start). */
  @Test
  void aHazelcastConfigWithKeysHazelcastRefusesExitsTwoWithALinePerKey() throws Exception {
    Path hazelcast = dir.resolve("hazelcast.yaml");
    Files.writeString(hazelcast, "hazelcast:\n  network:\n    prot:\n      port: 5801\n  mapp:\n    x: 1\n");
    String[] problems = {
        "config error: cluster.hazelcastConfig: " + hazelcast + ": hazelcast: extraneous key [mapp] is not permitted",
        "config error: cluster.hazelcastConfig: " + hazelcast + ": hazelcast.network: extraneous key [prot] is not permitted"};
    try (NodeProcess p = NodeProcess.start(dir, Map.of(), 0, 0, "run", "--cluster",
        "--set", "cluster.hazelcastConfig=" + hazelcast, "--set", "http.port=" + TestConfigs.freePort(),
        "--set", "admin.port=" + TestConfigs.freePort())) {
      assertThat(p.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.errors().lines()).containsExactlyInAnyOrder(problems);
      assertThat(p.standardOutput()).doesNotContain("\tat ").doesNotContain("Exception");
    }
    // check-config finds the same, and prints nothing else (Hazelcast's readers log where they read from)
    try (NodeProcess check = NodeProcess.start(dir, Map.of(), 0, 0, "check-config",
        "--set", "cluster.hazelcastConfig=" + hazelcast)) {
      assertThat(check.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(check.standardOutput()).isEmpty();
      assertThat(check.errors().lines()).containsExactlyInAnyOrder(problems);
    }
  }

  @Test
  void portInUseFailsTheStartWithExitOneAndAClearLine() throws Exception {
    int http = TestConfigs.freePort();
    try (var blocker = new java.net.ServerSocket(http, 1, java.net.InetAddress.getLoopbackAddress());
        NodeProcess node = NodeProcess.start(dir, Map.of(), http, TestConfigs.freePort(), "run",
            "--set", "http.host=127.0.0.1", "--set", "http.port=" + http, "--set", "admin.port=" + TestConfigs.freePort())) {
      assertThat(node.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
      assertThat(node.output()).contains("cannot listen on 127.0.0.1:" + http + " (http.host/http.port)")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void jsonLogsCarryTheAccessLogsFieldsAtTheTopLevelWithTheirTypes() throws Exception {
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Map<String, String> env = Map.of("SATELLITE_HTTP_PORT", String.valueOf(http), "SATELLITE_ADMIN_PORT", String.valueOf(admin),
        "SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_LOG_FORMAT", "json", "SATELLITE_LOG_ACCESS", "true",
        "SATELLITE_NODE_ID", "json-node");
    try (NodeProcess node = NodeProcess.start(dir, env, http, admin, "run")) {
      node.awaitReady(Duration.ofSeconds(30));
      assertThat(node.send(http, "/hello", Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
          .statusCode()).isEqualTo(200);
      node.terminate();
      assertThat(node.awaitExit(Duration.ofSeconds(10))).isZero();
      io.vertx.core.json.JsonObject access = null;
      for (String line : node.output().split("\n")) {
        io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(line); // every line is one JSON object
        if ("satellite.access".equals(json.getString("logger_name"))) {
          access = json;
        }
      }
      assertThat(access).as("an access-log line").isNotNull();
      assertThat(access.getValue("status")).isEqualTo(200);
      assertThat(access.getValue("durationMs")).isInstanceOf(Number.class);
      assertThat(access.getValue("bytes")).isEqualTo(13);
      assertThat(access.getString("method")).isEqualTo("GET");
      assertThat(access.getString("path")).isEqualTo("/hello");
      assertThat(access.getString("route")).isEqualTo("/hello");
      assertThat(access.getString("outcome")).isEqualTo("ok");
      assertThat(access.getString("node")).isEqualTo("json-node");
      assertThat(access.getString("requestId")).matches("[0-9a-f]{32}");
      assertThat(access.getString("traceId")).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(access.fieldNames()).doesNotContain("kvpList");
    }
  }

  @Test
  void anEventBusPortInUseFailsTheStartWithALineNamingItsKeys() throws Exception {
    int busPort = TestConfigs.freePort();
    try (var blocker = new java.net.ServerSocket(busPort, 1, java.net.InetAddress.getLoopbackAddress());
        NodeProcess node = NodeProcess.start(dir, Map.of(), TestConfigs.freePort(), TestConfigs.freePort(), "run",
            "--cluster", "--set", "cluster.name=busport-" + busPort, "--set", "cluster.eventBusPort=" + busPort,
            "--set", "http.host=127.0.0.1", "--set", "http.port=" + TestConfigs.freePort(),
            "--set", "admin.port=" + TestConfigs.freePort())) {
      assertThat(node.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(node.output()).contains("cannot listen on 127.0.0.1:" + busPort + " (cluster.host/cluster.eventBusPort)")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void promtoolFindsNothingToLintInTheMetrics() throws Exception {
    java.nio.file.Path promtool = java.util.stream.Stream.of("/usr/bin/promtool", "/usr/local/bin/promtool")
        .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(promtool != null,
        "skipped: promtool is not installed here (.ci/run installs Debian's prometheus package, which has it)");
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Map<String, String> env = Map.of("SATELLITE_HTTP_PORT", String.valueOf(http), "SATELLITE_ADMIN_PORT", String.valueOf(admin),
        "SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_CHAOS_ENABLED", "true", "SATELLITE_ADMIN_TOKEN", "t");
    try (NodeProcess node = NodeProcess.start(dir, env, http, admin, "run")) {
      node.awaitReady(Duration.ofSeconds(30));
      node.get("/hello");
      node.get("/nowhere");
      String metrics = node.send(admin, "/metrics", Map.of()).body();
      Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
      check.getOutputStream().write(metrics.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      check.getOutputStream().close();
      String said = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(said).as("promtool check metrics").isEmpty();
      assertThat(check.exitValue()).isZero();
    }
  }
}
