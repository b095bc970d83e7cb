package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void validConfigExitsZero() {
    assertThat(run("check-config", "--set", "http.port=8081")).isZero();
    assertThat(out.toString()).startsWith("config OK");
  }

  @Test
  void badConfigExitsTwoWithOneLinePerProblemNamingTheKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "http:\n  port: 0\nlog:\n  format: xml\n");
    assertThat(run("check-config", "--config", f.toString())).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        "config error: http.port: must be between 1 and 65535, got 0",
        "config error: log.format: must be one of text, json, got 'xml'");
    assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** The Hazelcast file a config names is read and checked here as `run --cluster` would, before any node starts. */
  @Test
  void aHazelcastFileWithKeysHazelcastRefusesIsAProblemPerKey(@TempDir Path dir) throws Exception {
    Path hazelcast = dir.resolve("hazelcast.yaml");
    Files.writeString(hazelcast, "hazelcast:\n  network:\n    prot:\n      port: 5801\n");
    assertThat(run("check-config", "--set", "cluster.hazelcastConfig=" + hazelcast)).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("config error: cluster.hazelcastConfig: " + hazelcast
        + ": hazelcast.network: extraneous key [prot] is not permitted");
    assertThat(run("check-config", "--set", "cluster.hazelcastConfig=" + dir.resolve("missing.yaml"))).isEqualTo(2);
    assertThat(err.toString()).contains("config error: cluster.hazelcastConfig: no such file: " + dir.resolve("missing.yaml"));
    Files.writeString(hazelcast, "hazelcast:\n  network: [\n");
    assertThat(run("check-config", "--set", "cluster.hazelcastConfig=" + hazelcast)).isEqualTo(2);
    assertThat(err.toString().lines().toList()).last().asString().as("a YAML syntax error: where, on one line")
        .isEqualTo("config error: cluster.hazelcastConfig: not a valid Hazelcast config: Invalid YAML configuration:"
            + " while parsing a flow node in reader, line 3, column 1: expected the node content, but found"
            + " '<stream end>' in reader, line 3, column 1:");
    Files.writeString(hazelcast, "hazelcast:\n  network:\n    port:\n      port: 5801\n");
    assertThat(run("check-config", "--set", "cluster.hazelcastConfig=" + hazelcast)).isZero();
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("check-config", "--no-such-flag")).isEqualTo(2);
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing command");
  }

  @Test
  void helpAndVersionOnEveryCommand() {
    for (String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"check-config", "--help"}}) {
      assertThat(run(args)).isZero();
    }
    assertThat(out.toString()).contains("--config").contains("--set").contains("--cluster");
    for (String[] args : new String[][] {{"--version"}, {"run", "--version"}, {"check-config", "-V"}}) {
      assertThat(run(args)).isZero();
    }
    assertThat(out.toString()).contains("satellite 0.");
  }

  @Test
  void everyProblemIsReportedAtOnceEvenBesideAnUnknownKeyAndAnActorThatDoesNotResolve(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "http:\n  port: 0\nbogus: 1\nlog:\n  format: xml\ndefaults:\n  breaker: { maxFailures: -1 }\n");
    assertThat(run("check-config", "--config", f.toString(), "--set",
        "supervision.children=[{id: x, actor: no.such.Actor}]")).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactlyInAnyOrder(
        "config error: bogus: unknown key (known here: node, http, admin, cluster, shutdown, log, chaos, metrics,"
            + " supervision, push, edge, defaults, routes, analytics)",
        "config error: http.port: must be between 1 and 65535, got 0",
        "config error: log.format: must be one of text, json, got 'xml'",
        // a bad default is reported once, under the key the user wrote, not once per route that uses it
        "config error: defaults.breaker.maxFailures: must be between 0 and 1000000, got -1",
        "config error: supervision.children[0].actor: unknown actor type 'no.such.Actor' (built-in: analytics, echo, hello,"
            + " push, whoami;"
            + " or the name of a class extending dev.satellite.actor.Actor with a public no-argument constructor)");
  }

  @Test
  void unknownActorTypeIsAConfigErrorNamingTheKey() {
    assertThat(run("check-config", "--set", "supervision.children=[{id: x, actor: no.such.Actor}]")).isEqualTo(2);
    assertThat(err.toString()).startsWith("config error: supervision.children[0].actor: unknown actor type 'no.such.Actor'");
  }

  /** A route's auth: a missing token file is exit 2 naming the key, and no token is shown. */
  @Test
  void aMissingTokenFileExitsTwoNamingTheKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("node.yaml");
    Path missing = dir.resolve("no-such-tokens.txt");
    Files.writeString(f, "routes:\n  - { path: /events, methods: [POST], actor: echo, auth: { tokens: [s3cret-inline],"
        + " tokenFile: '" + missing + "' } }\n");
    assertThat(run("check-config", "--config", f.toString())).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        "config error: routes[0].auth.tokenFile: no such file: " + missing);
    assertThat(err.toString() + out).doesNotContain("s3cret-inline").doesNotContain("Exception");
  }

  @Test
  void aReadableTokenFileIsFine(@TempDir Path dir) throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens.txt"), "publisher-token\n");
    assertThat(run("check-config", "--set", "defaults.auth.tokenFile=" + tokens)).isZero();
    assertThat(out.toString()).startsWith("config OK");
  }
}
