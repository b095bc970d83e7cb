package dev.satellite.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentParserTest {

  @TempDir
  Path dir;

  private static Path resource(String name) {
    return Path.of("src/test/resources/experiments", name);
  }

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private List<String> problems(String name, String text) throws IOException {
    Path f = write(name, text);
    ExperimentException e = catchThrowableOfType(ExperimentException.class, () -> ExperimentParser.parse(f));
    assertThat(e).as("expected problems in %s", text).isNotNull();
    return e.problems();
  }

  @Test
  void readsEveryFieldOfAYamlExperiment() throws Exception {
    Experiment e = ExperimentParser.parse(resource("every-field.yaml"));
    assertThat(e.title()).isEqualTo("Every field");
    assertThat(e.description()).startsWith("Each key");
    assertThat(e.tags()).containsExactly("parser", "satellite");
    assertThat(e.configuration()).containsEntry("threshold", 3).containsKey("from_env");
    assertThat(e.secrets()).containsKey("admin");
    Hypothesis h = e.hypothesis().orElseThrow();
    assertThat(h.title()).isEqualTo("all is well");
    assertThat(h.probes()).extracting(Activity::name).containsExactly("status-200", "status-in-list", "body-matches",
        "json-path", "in-range", "probe-tolerance", "percent");
    assertThat(h.probes().get(0).tolerance()).isEqualTo(new Tolerance.Value(200));
    assertThat(h.probes().get(1).tolerance()).isEqualTo(new Tolerance.Values(List.of(200, 204)));
    Provider.Http http = (Provider.Http) h.probes().get(1).provider();
    assertThat(http.method()).isEqualTo("GET");
    assertThat(http.headers()).containsEntry("Authorization", "Bearer ${token}");
    assertThat(http.timeout()).isEqualTo(List.of(1, 3));
    assertThat(http.verifyTls()).isFalse();
    assertThat(http.expectedStatus()).isEqualTo(List.of(200, 204));
    assertThat(h.probes().get(2).tolerance()).isInstanceOfSatisfying(Tolerance.Regex.class,
        r -> assertThat(r.target()).isEqualTo("stdout"));
    Provider.Process sh = (Provider.Process) h.probes().get(2).provider();
    assertThat(sh.path()).isEqualTo("sh");
    assertThat(sh.arguments()).isEqualTo(List.of("-c", "echo ok"));
    assertThat(sh.timeout()).isEqualTo(5.0);
    assertThat(h.probes().get(3).tolerance()).isInstanceOfSatisfying(Tolerance.JsonPath.class, j -> {
      assertThat(j.hasExpect()).isTrue();
      assertThat(j.expect()).isEqualTo("UP");
      assertThat(j.target()).isEqualTo("body");
    });
    assertThat(h.probes().get(4).tolerance()).isEqualTo(new Tolerance.Range(0, 10, "status"));
    assertThat(((Provider.Process) h.probes().get(4).provider()).arguments()).isEqualTo("-c 'exit 3'");
    assertThat(h.probes().get(5).tolerance()).isInstanceOfSatisfying(Tolerance.Probe.class,
        p -> assertThat(p.activity().name()).isEqualTo("checker"));
    assertThat(h.probes().get(6).tolerance()).isInstanceOfSatisfying(Tolerance.Percent.class,
        p -> assertThat(p.max()).isEqualTo(1.0));

    Activity fault = e.method().get(0);
    assertThat(fault.type()).isEqualTo("action");
    assertThat(fault.background()).isTrue();
    assertThat(fault.pauses()).isEqualTo(new Pauses(0.5, "${threshold}"));
    assertThat(((Provider.Http) fault.provider()).arguments()).isEqualTo(Map.of("type", "latency", "durationMs", 1000));
    assertThat(e.method().get(1).isRef()).isTrue();
    assertThat(e.method().get(1).ref()).isEqualTo("status-200");
    assertThat(e.rollbacks()).extracting(Activity::name).containsExactly("revert");

    ClusterSpec c = e.cluster().orElseThrow();
    assertThat(c.nodes()).isEqualTo(3);
    assertThat(c.config()).contains(Path.of("conf/node.yaml"));
    assertThat(c.set()).containsEntry("supervision.maxRestarts", "10").containsEntry("log.level", "WARN");
    LoadSpec l = e.load().orElseThrow();
    assertThat(l.rate()).isEqualTo(50.0);
    assertThat(l.duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(l.routes()).containsExactly("/hello", "http://127.0.0.1:2/x");
    assertThat(l.connections()).isEqualTo(4);
    assertThat(l.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(e.seed()).contains(1234L);
    assertThat(e.safeguard()).isTrue();
    assertThat(e.raw()).containsKey("extensions");
  }

  @Test
  void readsJsonAndTakesDefaultsForWhatIsLeftOut() throws Exception {
    Experiment e = ExperimentParser.parse(resource("minimal.json"));
    assertThat(e.title()).isEqualTo("Minimal");
    assertThat(e.tags()).isEmpty();
    assertThat(e.hypothesis()).isEmpty();
    assertThat(e.method()).isEmpty();
    assertThat(e.rollbacks()).isEmpty();
    assertThat(e.cluster()).isEmpty();
    assertThat(e.load()).isEmpty();
    assertThat(e.seed()).isEmpty();
    assertThat(e.safeguard()).isFalse();
  }

  @Test
  void aFileWithoutAKnownExtensionIsReadAsJsonOrYaml() throws Exception {
    assertThat(ExperimentParser.parse(write("e.txt", "{\"title\": \"t\", \"description\": \"d\", \"method\": []}")).title())
        .isEqualTo("t");
    assertThat(ExperimentParser.parse(write("e2.txt", "title: y\ndescription: d\nmethod: []\n")).title()).isEqualTo("y");
  }

  @Test
  void reportsEveryProblemAtTheTopLevelNamingItsField() throws Exception {
    assertThat(problems("e.yaml", "tags: [ok, 3]\nconfiguration: 5\nsecrets: {a: 1}\nseed: -1\nsafeguard: maybe\n"))
        .contains("title: is required (a non-empty string)", "description: is required (a non-empty string)",
            "tags[1]: must be a non-empty string", "configuration: must be a mapping",
            "secrets.a: must be a mapping of names to values", "method: is required (it may be an empty list)",
            "seed: must be a whole number >= 0", "safeguard: must be true or false");
  }

  @Test
  void namesTheActivityFieldThatIsWrong() throws Exception {
    String head = "title: t\ndescription: d\n";
    assertThat(problems("a.yaml", head + """
        method:
          - type: action
            name: ok
            provider: {type: http, url: http://x}
          - type: thing
            provider: {type: http, url: 5, headers: [a], timeout: x, verify_tls: 1, expected_status: x}
          - type: probe
            name: p
            provider: {type: process, path: no-such-command-here, arguments: 5, timeout: x}
            pauses: {before: soon}
            background: yes please
            timeout: x
          - type: action
            name: py
            provider: {type: python, module: m, func: f}
          - ref: nowhere
          - 7
        """)).containsExactlyInAnyOrder(
        "method[1].type: must be probe or action, got thing",
        "method[1].name: is required (a non-empty string)",
        "method[1].provider.url: must be a non-empty string",
        "method[1].provider.headers: must be a mapping of names to values",
        "method[1].provider.timeout: must be seconds (a number) or [connect, read]",
        "method[1].provider.verify_tls: must be true or false",
        "method[1].provider.expected_status: must be a status code or a list of them",
        "method[2].provider.path: 'no-such-command-here' is not an executable file nor a command on the PATH",
        "method[2].provider.arguments: must be a string, a list or a mapping",
        "method[2].provider.timeout: must be a number of seconds",
        "method[2].timeout: must be a number",
        "method[2].pauses.before: must be a number of seconds or a ${name} placeholder",
        "method[2].background: must be true or false",
        "method[3].provider.type: python providers are not supported by Satellite's runner (use http or process)",
        "method[4].ref: no activity named 'nowhere' in the experiment",
        "method[5]: must be a non-empty mapping (an activity)");
  }

  @Test
  void namesTheToleranceFieldThatIsWrong() throws Exception {
    String head = "title: t\ndescription: d\nmethod: []\nsteady-state-hypothesis:\n  title: h\n  probes:\n";
    String probe = "    - type: probe\n      name: p%d\n      provider: {type: http, url: http://x}\n";
    String text = head
        + String.format(probe, 0)
        + String.format(probe, 1) + "      tolerance: {type: regex, pattern: '('}\n"
        + String.format(probe, 2) + "      tolerance: {type: jsonpath, path: 'status'}\n"
        + String.format(probe, 3) + "      tolerance: {type: range, range: [1]}\n"
        + String.format(probe, 4) + "      tolerance: {type: percent}\n"
        + String.format(probe, 5) + "      tolerance: {type: nope}\n"
        + String.format(probe, 6) + "      tolerance: {type: probe, name: x}\n"
        + String.format(probe, 7) + "      tolerance: {type: jsonpath, path: '$[?(@.a)]'}\n";
    assertThat(problems("t.yaml", text)).containsExactlyInAnyOrder(
        "steady-state-hypothesis.probes[0].tolerance: a hypothesis probe needs a tolerance",
        "steady-state-hypothesis.probes[1].tolerance.pattern: not a valid regular expression: Unclosed group",
        "steady-state-hypothesis.probes[2].tolerance.path: a JSON path starts with $",
        "steady-state-hypothesis.probes[3].tolerance.range: must be [low, high], two numbers",
        "steady-state-hypothesis.probes[4].tolerance: a percent tolerance needs min and/or max (percent, 0-100)",
        "steady-state-hypothesis.probes[5].tolerance.type: must be regex, jsonpath, range, probe or percent, got nope",
        "steady-state-hypothesis.probes[6].tolerance.provider: is required (a mapping with a type: http or process)",
        "steady-state-hypothesis.probes[7].tolerance.path: unsupported selector [?(@.a)] (filters and slices are not supported)");
  }

  @Test
  void namesTheClusterAndLoadFieldsThatAreWrong() throws Exception {
    assertThat(problems("c.yaml", """
        title: t
        description: d
        method: []
        cluster: {nodes: 0, config: 5, set: {a: [1]}, extra: 1}
        load: {rate: 0, duration: forever, routes: [hello], connections: 0, timeout: -1s, burst: 2}
        safeguard: true
        """)).containsExactlyInAnyOrder(
        "cluster.nodes: must be a whole number from 1 to 9",
        "cluster.config: must be a path (a string)",
        "cluster.set.a: must be a single value",
        "cluster.extra: unknown key (nodes, config, set)",
        "load.rate: must be a number of requests per second > 0",
        "load.duration: must be a duration > 0 (seconds, or 500ms, 10s, 1m)",
        "load.routes[0]: must be a path (/hello), an absolute http URL, or one that starts with a placeholder"
            + " (${node1_url}/hello)",
        "load.connections: must be a whole number >= 1",
        "load.timeout: must be a duration > 0 (seconds, or 500ms, 10s, 1m)",
        "load.burst: unknown key (rate, duration, routes, connections, timeout, warmup)",
        "safeguard: needs a steady-state-hypothesis with probes to check");
  }

  @Test
  void aLoadPathNeedsACluster() throws Exception {
    assertThat(problems("l.yaml", "title: t\ndescription: d\nmethod: []\nload: {rate: 1, duration: 1, routes: [/hello]}\n"))
        .containsExactly("load.routes[0]: a path needs a cluster to send to; write an absolute URL");
  }

  @Test
  void aFileThatDoesNotParseIsOneProblem() throws Exception {
    assertThat(problems("bad.json", "{\"title\": ")).singleElement().asString().startsWith("(file): not valid JSON");
    assertThat(problems("bad.yaml", "title: [unclosed\n")).singleElement().asString().startsWith("(file): not valid YAML");
    assertThat(problems("list.yaml", "- a\n- b\n"))
        .containsExactly("(file): an experiment is a mapping (JSON object) at the top level");
    assertThatThrownBy(() -> ExperimentParser.parse(dir.resolve("missing.yaml"))).isInstanceOf(ExperimentException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  void aRegexWithAPlaceholderIsCheckedWithoutIt() throws Exception {
    Path f = write("r.yaml", "title: t\ndescription: d\nmethod: []\nsteady-state-hypothesis:\n  title: h\n  probes:\n"
        + "    - {type: probe, name: p, provider: {type: http, url: 'http://x'}, tolerance: {type: regex, pattern: '^${word}+'}}\n");
    assertThat(ExperimentParser.parse(f).hypothesis().orElseThrow().probes().get(0).tolerance())
        .isInstanceOfSatisfying(Tolerance.Regex.class, r -> assertThat(r.pattern()).isNull());
  }

  @Test
  void resolvesEnvironmentConfigurationWithItsDefaultAndType() throws Exception {
    Path f = write("env.yaml", """
        title: t
        description: d
        method: []
        configuration:
          plain: 1
          port: {type: env, key: PORT_X, env_var_type: int}
          host: {type: env, key: HOST_X, default: localhost}
          flag: {type: env, key: FLAG_X, env_var_type: bool}
        secrets:
          vault:
            token: {type: env, key: TOKEN_X}
        """);
    Experiment e = ExperimentParser.parse(f);
    Bindings b = ExperimentConfiguration.resolve(e, Map.of("PORT_X", "8080", "FLAG_X", "no", "TOKEN_X", "t0k"));
    assertThat(b.lookup("plain")).contains(1);
    assertThat(b.lookup("port")).contains(8080L);
    assertThat(b.lookup("host")).contains("localhost");
    assertThat(b.lookup("flag")).contains(false);
    assertThat(b.lookup("token")).contains("t0k");
    assertThat(ExperimentConfiguration.resolve(e, Map.of("PORT_X", "1", "FLAG_X", "1", "TOKEN_X", "x", "HOST_X", "h"))
        .lookup("host")).contains("h");
    assertThat(catchThrowableOfType(ExperimentException.class, () -> ExperimentConfiguration.resolve(e, Map.of("PORT_X", "x")))
        .problems()).containsExactlyInAnyOrder(
        "configuration.port: PORT_X=x is not a valid int",
        "configuration.flag: environment variable FLAG_X is not set and there is no default",
        "secrets.vault.token: environment variable TOKEN_X is not set and there is no default");
  }

  @Test
  void theLoadMayNameConfigurationEntriesSoARunCanBeMadeShorterThroughTheEnvironment() throws Exception {
    Experiment e = ExperimentParser.parse(write("short.yaml", String.join("\n",
        "title: t",
        "description: d",
        "configuration:",
        "  seconds: {type: env, key: SATELLITE_TEST_UNSET_SECONDS, default: 7, env_var_type: int}",
        "  rate: 25",
        "cluster: {nodes: 1}",
        "load: {rate: '${rate}', duration: '${seconds}s', routes: [/hello]}",
        "method: []")));
    assertThat(e.load().orElseThrow().duration()).isEqualTo(java.time.Duration.ofSeconds(7));
    assertThat(e.load().orElseThrow().rate()).isEqualTo(25.0);
  }
}
