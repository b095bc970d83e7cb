package dev.satellite.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.support.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private final Path dir = TestConfigs.emptyDir();

  private ConfigLoader.Loaded load(Map<String, String> env, String... sets) {
    return ConfigLoader.load(null, env, List.of(sets), dir);
  }

  private Path file(String yaml) throws IOException {
    Path p = dir.resolve("node.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  private static List<String> problems(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void builtInDefaultsMatchTheDocumentedFile() throws IOException {
    assertThat(ConfigLoader.embeddedDefaultsText()).isEqualTo(Files.readString(Path.of("conf/node.yaml")));
    SatelliteConfig c = load(Map.of()).config();
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().host()).isEqualTo("0.0.0.0");
    assertThat(c.http().requestTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.admin().host()).isEqualTo("127.0.0.1");
    assertThat(c.admin().port()).isEqualTo(9090);
    assertThat(c.admin().apiEnabled()).isFalse();
    assertThat(c.cluster().enabled()).isFalse();
    assertThat(c.cluster().name()).isEqualTo("satellite");
    assertThat(c.shutdown().drainDelay()).isEqualTo(Duration.ZERO);
    assertThat(c.shutdown().grace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.log().format()).isEqualTo("text");
    assertThat(c.log().access()).isFalse();
    assertThat(c.chaos().enabled()).isFalse();
  }

  @Test
  void defaultNodeIdIsHostAndPidSoTwoProcessesDiffer() {
    String id = load(Map.of()).config().nodeId();
    assertThat(id).endsWith("-" + ProcessHandle.current().pid());
    assertThat(load(Map.of()).tree()).extractingByKey("node").asString().contains(id);
  }

  @Test
  void environmentOverridesTheFileAndSetOverridesTheEnvironment() throws IOException {
    Path f = file("http:\n  port: 7000\nadmin:\n  port: 7001\n");
    var env = Map.of("SATELLITE_HTTP_PORT", "7100", "SATELLITE_ADMIN_PORT", "7101",
        "SATELLITE_HTTP_REQUEST_TIMEOUT", "250ms", "SATELLITE_ADMIN_TOKEN", "12345");
    SatelliteConfig c = ConfigLoader.load(f, env, List.of("http.port=7200"), dir).config();
    assertThat(c.http().port()).isEqualTo(7200);
    assertThat(c.admin().port()).isEqualTo(7101);
    assertThat(c.http().requestTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.admin().tokens()).singleElement().satisfies(t -> assertThat(t.token()).contains("12345"));
  }

  @Test
  void fileValuesOverlayDefaultsKeyByKey() throws IOException {
    SatelliteConfig c = ConfigLoader.load(file("log:\n  format: json\n"), Map.of(), List.of(), dir).config();
    assertThat(c.log().json()).isTrue();
    assertThat(c.log().level()).isEqualTo("INFO");
    assertThat(c.http().port()).isEqualTo(8080);
  }

  @Test
  void confNodeYamlInTheWorkingDirectoryIsReadByDefault() throws IOException {
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf/node.yaml"), "http:\n  port: 7300\n");
    ConfigLoader.Loaded loaded = load(Map.of());
    assertThat(loaded.config().http().port()).isEqualTo(7300);
    assertThat(loaded.source()).endsWith("node.yaml");
  }

  @Test
  void envNamesFollowUpperSnakeCase() {
    assertThat(ConfigTree.envName("http.port")).isEqualTo("SATELLITE_HTTP_PORT");
    assertThat(ConfigTree.envName("http.requestTimeout")).isEqualTo("SATELLITE_HTTP_REQUEST_TIMEOUT");
    assertThat(ConfigTree.envName("shutdown.drainDelay")).isEqualTo("SATELLITE_SHUTDOWN_DRAIN_DELAY");
  }

  @Test
  void unknownSatelliteVariableOnlyWarns() {
    var loaded = load(Map.of("SATELLITE_PORT", "tcp://10.0.0.1:8080", "SATELLITE_SERVICE_HOST", "10.0.0.1"));
    assertThat(loaded.warnings()).containsExactly(
        "environment variable SATELLITE_PORT names no config key; ignored",
        "environment variable SATELLITE_SERVICE_HOST names no config key; ignored");
  }

  @Test
  void unknownKeyInTheFileIsAnErrorNamingIt() throws IOException {
    Path f = file("http:\n  prot: 8081\nbogus: 1\n");
    assertThat(problems(() -> ConfigLoader.load(f, Map.of(), List.of(), dir)))
        .anySatisfy(p -> assertThat(p).startsWith("http.prot: unknown key"))
        .anySatisfy(p -> assertThat(p).startsWith("bogus: unknown key"));
  }

  @Test
  void unknownKeyGivenWithSetIsAnError() {
    assertThat(problems(() -> load(Map.of(), "http.prot=1"))).containsExactly("http.prot: unknown key (given with --set)");
    assertThat(problems(() -> load(Map.of(), "novalue"))).containsExactly("--set novalue: expected key=value");
  }

  @Test
  void portOutOfRange() {
    assertThat(problems(() -> load(Map.of(), "http.port=0"))).containsExactly("http.port: must be between 1 and 65535, got 0");
    assertThat(problems(() -> load(Map.of("SATELLITE_ADMIN_PORT", "70000"))))
        .containsExactly("admin.port: must be between 1 and 65535, got 70000");
  }

  @Test
  void wrongTypes() {
    assertThat(problems(() -> load(Map.of(), "http.port=eighty"))).containsExactly("http.port: expected a whole number, got 'eighty'");
    assertThat(problems(() -> load(Map.of(), "log.access=yes please"))).containsExactly("log.access: expected true or false, got 'yes please'");
    assertThat(problems(() -> load(Map.of(), "shutdown.grace=20"))).singleElement().asString()
        .startsWith("shutdown.grace: expected a duration");
    assertThat(problems(() -> load(Map.of(), "log.format=xml"))).containsExactly("log.format: must be one of text, json, got 'xml'");
  }

  @Test
  void sectionGivenAScalarIsAnError() throws IOException {
    Path f = file("http: 8080\n");
    assertThat(problems(() -> ConfigLoader.load(f, Map.of(), List.of(), dir))).containsExactly("http: expected a section (a map of keys)");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThat(problems(() -> load(Map.of(), "http.port=0", "admin.port=x", "log.level=LOUD"))).hasSize(3);
  }

  @Test
  void adminPortMustDifferFromHttpPort() {
    assertThat(problems(() -> load(Map.of(), "http.port=9000", "admin.port=9000")))
        .containsExactly("admin.port: must differ from http.port (9000)");
  }

  @Test
  void aNodeIsEjectedOnlyAfterSeveralTicksWentUnheard() {
    SatelliteConfig.Cluster c = load(Map.of()).config().cluster();
    assertThat(c.tick()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.ejectAfter()).isEqualTo(Duration.ofMillis(600));
    assertThat(problems(() -> load(Map.of(), "cluster.tick=200ms", "cluster.ejectAfter=500ms"))).containsExactly(
        "cluster.ejectAfter: must be at least three times cluster.tick (200ms): one late tick must not eject a node");
    assertThat(problems(() -> load(Map.of(), "cluster.tick=1ms"))).singleElement().asString().startsWith("cluster.tick:");
  }

  @Test
  void badNodeId() {
    assertThat(problems(() -> load(Map.of(), "node.id=has space"))).singleElement().asString().startsWith("node.id: must be");
  }

  @Test
  void missingReferencedFilesAreErrors() {
    assertThat(problems(() -> load(Map.of(), "log.config=nope.xml"))).singleElement().asString().startsWith("log.config: no such file");
    assertThat(problems(() -> ConfigLoader.load(Path.of("missing.yaml"), Map.of(), List.of(), dir)))
        .singleElement().asString().startsWith("--config: no such file");
  }

  @Test
  void invalidYamlNamesTheFile() throws IOException {
    Path f = file("http:\n  port: [1,\n");
    assertThat(problems(() -> ConfigLoader.load(f, Map.of(), List.of(), dir))).singleElement().asString()
        .startsWith(f + ": not valid YAML");
  }

  @Test
  void duplicateKeysAreRejected() throws IOException {
    Path f = file("http:\n  port: 1\n  port: 2\n");
    assertThat(problems(() -> ConfigLoader.load(f, Map.of(), List.of(), dir))).singleElement().asString()
        .contains("not valid YAML");
  }

  @Test
  void secretsAreRedactedInTheEffectiveTree() {
    var tree = load(Map.of(), "admin.token=hunter2").tree();
    assertThat(ConfigTree.redacted(tree).get("admin")).asString().contains("token=***").doesNotContain("hunter2");
    assertThat(ConfigTree.redacted(load(Map.of()).tree()).get("admin")).asString().contains("token=,");
  }

  @Test
  void durationsParseAndPrint() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
    assertThatThrownBy(() -> Durations.parse("5 seconds")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("-1s")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void supervisionDefaultsDescribeTheRootAndTheBuiltInActors() {
    ConfigLoader.Loaded loaded = load(Map.of());
    SupervisionConfig sup = loaded.config().supervision();
    assertThat(sup.maxLoopBlock()).isEqualTo(Duration.ofSeconds(5));
    SupervisorSpec root = sup.root();
    assertThat(root.id()).isEqualTo("root");
    assertThat(root.strategy()).isEqualTo(SupervisorSpec.Strategy.ONE_FOR_ONE);
    assertThat(root.maxRestarts()).isEqualTo(5);
    assertThat(root.period()).isEqualTo(Duration.ofSeconds(10));
    assertThat(root.backoff().min()).isEqualTo(Duration.ofMillis(10));
    assertThat(root.liveness().enabled()).isTrue();
    ChildSpec hello = root.children().get(0);
    assertThat(hello.id()).isEqualTo("hello");
    assertThat(hello.actor()).contains("hello");
    assertThat(hello.address()).isEqualTo("hello");
    assertThat(hello.instances()).as("instances: 0 is one per event loop, and node.eventLoops: 0 one loop per core")
        .isEqualTo(loaded.config().eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(hello.restart()).isEqualTo(ChildSpec.Restart.PERMANENT);
    assertThat(hello.mailbox()).isEqualTo(ChildSpec.DEFAULT_MAILBOX);
  }

  @Test
  void eventLoopsSetTheLoopCountAndWhatInstancesZeroMeans() {
    ConfigLoader.Loaded three = load(Map.of("SATELLITE_NODE_EVENT_LOOPS", "3"));
    assertThat(three.config().eventLoops()).isEqualTo(3);
    assertThat(three.config().supervision().root().children().get(0).instances()).as("hello: instances 0").isEqualTo(3);
    assertThat(problems(() -> load(Map.of(), "node.eventLoops=-1")))
        .containsExactly("node.eventLoops: must be between 0 and 256, got -1");
  }

  @Test
  void nestedSupervisorsInheritBackoffAndLivenessAndReadTheirOwnLimits() throws IOException {
    Path f = file("""
        supervision:
          backoff: { min: 20ms }
          children:
            - id: services
              supervisor:
                strategy: rest_for_one
                maxRestarts: 2
                period: 5s
                children:
                  - { id: a, actor: hello, restart: transient, settings: { x: 1 } }
                  - { id: b, actor: hello, address: bee, instances: 3 }
        """);
    SupervisorSpec root = ConfigLoader.load(f, Map.of(), List.of(), dir).config().supervision().root();
    SupervisorSpec services = root.children().get(0).supervisor().orElseThrow();
    assertThat(services.id()).isEqualTo("services");
    assertThat(services.strategy()).isEqualTo(SupervisorSpec.Strategy.REST_FOR_ONE);
    assertThat(services.maxRestarts()).isEqualTo(2);
    assertThat(services.backoff().min()).isEqualTo(Duration.ofMillis(20));
    assertThat(services.children()).extracting(ChildSpec::id).containsExactly("a", "b");
    assertThat(services.children().get(0).restart()).isEqualTo(ChildSpec.Restart.TRANSIENT);
    assertThat(services.children().get(0).settings()).containsEntry("x", 1);
    assertThat(services.children().get(1).address()).isEqualTo("bee");
    assertThat(services.children().get(1).instances()).isEqualTo(3);
  }

  @Test
  void badSupervisionTreesNameTheKey() throws IOException {
    Path f = file("""
        supervision:
          strategy: one_for_some
          backoff: { min: 2s, max: 1s }
          children:
            - { id: a, actor: hello, supervisor: { children: [] } }
            - { id: b, actor: hello, instances: -1, colour: red }
            - { id: b, actor: hello }
            - { actor: hello }
        """);
    assertThat(problems(() -> ConfigLoader.load(f, Map.of(), List.of(), dir))).containsExactlyInAnyOrder(
        "supervision.strategy: must be one of one_for_one, one_for_all, rest_for_one, got 'one_for_some'",
        "supervision.backoff.max: must be at least backoff.min (2s)",
        "supervision.children[0].actor: give exactly one of 'actor' (an actor type) or 'supervisor' (a nested supervisor)",
        "supervision.children[1].colour: unknown key (known here: actor, address, id, instances, mailbox, restart, "
            + "settings, startTimeout, stopTimeout, supervisor)",
        "supervision.children[1].instances: must be between 0 and 256, got -1",
        "supervision.children[2].id: duplicate child id 'b' under supervisor 'root'",
        "supervision.children[3].id: must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got ''");
  }

  @Test
  void theChildListCanBeReplacedFromTheEnvironmentAsYaml() {
    SupervisorSpec root = load(Map.of("SATELLITE_SUPERVISION_CHILDREN", "[{id: x, actor: hello, instances: 4}]"))
        .config().supervision().root();
    assertThat(root.children()).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo("x");
      assertThat(c.instances()).isEqualTo(4);
    });
  }

  @Test
  void builtInRoutesHaveEveryPolicyOnWithLimitsFarAboveCapacity() {
    SatelliteConfig c = load(Map.of()).config();
    assertThat(c.routes()).extracting(RouteSpec::path).containsExactly("/hello", "/whoami", "/echo", "/events",
        "/stats/:name", "/push/:topic", "/push/:topic", "/push/:topic/ws");
    RouteSpec hello = c.routes().get(0);
    assertThat(hello.methods()).containsExactly("GET");
    assertThat(hello.actor()).contains("hello");
    assertThat(hello.timeout()).isEqualTo(c.http().requestTimeout());
    assertThat(hello.concurrency()).isEqualTo(100_000);
    assertThat(hello.rateLimit().rps()).isEqualTo(1_000_000);
    assertThat(hello.rateLimit().enabled()).isTrue();
    assertThat(hello.breaker().enabled()).isTrue();
    assertThat(hello.retry().attempts()).isEqualTo(2);
    assertThat(c.edge().maxBodySize()).isEqualTo(1024 * 1024);
    assertThat(c.actorCalls().breaker().maxFailures()).isEqualTo(5);
  }

  @Test
  void pushIsOnByDefaultAndOffDropsItsActorAndEveryRouteToIt() {
    SatelliteConfig on = load(Map.of()).config();
    assertThat(on.push()).isEqualTo(SatelliteConfig.Push.DEFAULTS);
    assertThat(on.edge().maxConnections()).isGreaterThan(on.push().maxSubscribers());
    assertThat(on.supervision().root().children()).extracting(c -> c.actor().orElse("")).contains("push");
    // one path, several routes: each named by its path and methods (its meters and policies are its own)
    assertThat(on.routes()).extracting(RouteSpec::name).contains("/push/:topic POST", "/push/:topic GET", "/push/:topic/ws");
    assertThat(on.routes()).filteredOn(r -> r.stream().isPresent()).extracting(RouteSpec::path)
        .containsExactly("/push/:topic", "/push/:topic/ws");

    SatelliteConfig off = load(Map.of("SATELLITE_PUSH_ENABLED", "false")).config();
    assertThat(off.supervision().root().children()).extracting(c -> c.actor().orElse("")).doesNotContain("push");
    assertThat(off.routes()).extracting(RouteSpec::path).containsExactly("/hello", "/whoami", "/echo", "/events",
        "/stats/:name");
  }

  @Test
  void badPushKeysNameTheKey() {
    assertThatThrownBy(() -> load(Map.of("SATELLITE_PUSH_HISTORY_SIZE", "0")))
        .hasMessageContaining("push.historySize");
    assertThatThrownBy(() -> load(Map.of("SATELLITE_PUSH_SUBSCRIBER_BUFFER", "10")))
        .hasMessageContaining("push.subscriberBuffer");
  }

  @Test
  void routeKeysFallBackToTheDefaultsKeyByKey() throws IOException {
    Path f = file("""
        defaults:
          concurrency: 7
          rateLimit: { rps: 50, key: ip }
          retry: { budget: 0.5 }
        routes:
          - { path: /a, actor: hello, rateLimit: { burst: 80 } }
          - { path: /b/*, upstream: 'http://127.0.0.1:9000/base/', concurrency: 3, timeout: 250ms }
        """);
    List<RouteSpec> routes = ConfigLoader.load(f, Map.of(), List.of(), dir).config().routes();
    RouteSpec a = routes.get(0);
    assertThat(a.concurrency()).isEqualTo(7);
    assertThat(a.rateLimit()).isEqualTo(new RouteSpec.RateLimit(50, 80, "node", "ip"));
    assertThat(a.retry().budget()).isEqualTo(0.5);
    assertThat(a.methods()).isEmpty();
    RouteSpec b = routes.get(1);
    assertThat(b.upstream()).contains("http://127.0.0.1:9000/base");
    assertThat(b.concurrency()).isEqualTo(3);
    assertThat(b.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(b.rateLimit().burst()).isEqualTo(50); // burst 0 means rps
  }

  @Test
  void badRoutesNameTheKey() throws IOException {
    Path f = file("""
        routes:
          - { path: nope, actor: hello }
          - { path: /x, actor: hello, upstream: 'http://a' }
          - { path: /y, upstream: 'ftp://a' }
          - { path: /z, actor: hello, methods: [FETCH], rateLimit: { rps: 5, scope: cluster, key: cookie } }
          - { path: /health/live, actor: hello }
        """);
    assertThat(problems(() -> ConfigLoader.load(f, Map.of(), List.of(), dir))).containsExactlyInAnyOrder(
        "routes[0].path: must start with '/', got 'nope'",
        "routes[1].actor: give exactly one of 'actor' (an actor address) or 'upstream' (a base URL) (or 'respond', a fixed text, or 'stream', a subscription service)",
        "routes[2].upstream: must be an http:// URL with a host, got 'ftp://a'",
        "routes[3].methods: unknown method 'FETCH' (known: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT)",
        "routes[3].rateLimit.key: must be none, ip or header:<Name>, got 'cookie'",
        "routes[3].rateLimit.scope: 'cluster' needs a clustered node (cluster.enabled: true or run --cluster)",
        "routes[4].path: /health/* is reserved for the probes");
  }

  @Test
  void aClusterScopeIsFineOnAClusteredNode() throws IOException {
    Path f = file("routes:\n  - { path: /z, actor: hello, rateLimit: { rps: 5, scope: cluster } }\n");
    assertThat(ConfigLoader.load(f, Map.of(), List.of("cluster.enabled=true"), dir).config().routes().get(0)
        .rateLimit().clusterWide()).isTrue();
  }

  @Test
  void aBadDefaultIsReportedOnceUnderItsOwnKeyNotUnderEveryRoute() throws IOException {
    Path f = file("defaults:\n  rateLimit: { rps: 10, key: cookie }\n  breaker: { resetTimeout: 10s, maxResetTimeout: 5s }\n");
    assertThat(problems(() -> ConfigLoader.load(f, Map.of(), List.of(), dir))).containsExactly(
        "defaults.rateLimit.key: must be none, ip or header:<Name>, got 'cookie'",
        "defaults.breaker.maxResetTimeout: must be at least breaker.resetTimeout (10s)");
  }

  @Test
  void everyKeyHasOneTypeWhateverLayerSetIt() throws IOException {
    Path f = file("admin:\n  port: \"9191\"\n");
    ConfigLoader.Loaded loaded = ConfigLoader.load(f, Map.of("SATELLITE_HTTP_PORT", "18183"),
        List.of("chaos.enabled=true", "defaults.retry.budget=0.5", "node.id=123"), dir);
    Map<String, Object> tree = loaded.tree();
    assertThat(ConfigTree.get(tree, "http.port")).isEqualTo(18183);
    assertThat(ConfigTree.get(tree, "admin.port")).as("a number written as a string in the file").isEqualTo(9191);
    assertThat(ConfigTree.get(tree, "chaos.enabled")).isEqualTo(true);
    assertThat(ConfigTree.get(tree, "defaults.retry.budget")).isEqualTo(0.5);
    assertThat(ConfigTree.get(tree, "node.id")).as("a text key stays text").isEqualTo("123");
    assertThat(ConfigTree.get(tree, "http.requestTimeout")).isEqualTo("1s");
    // without a file too (the layers then start from a copy of the defaults)
    assertThat(ConfigTree.get(load(Map.of("SATELLITE_HTTP_PORT", "18184"), "admin.port=9192").tree(), "admin.port"))
        .isEqualTo(9192);
    assertThat(ConfigTree.get(load(Map.of("SATELLITE_HTTP_PORT", "18184")).tree(), "http.port")).isEqualTo(18184);
  }

  @Test
  void theNewEdgeAndBreakerKeysHaveTheirDocumentedDefaults() {
    SatelliteConfig c = load(Map.of()).config();
    assertThat(c.edge().headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.edge().maxConnections()).isEqualTo(12_000);
    assertThat(c.http().h2c()).isFalse();
    assertThat(c.routes().get(0).breaker().maxResetTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.actorCalls().breaker().resetTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theChaosMonkeyNamesEveryBadKeyAndIsOffByDefault() {
    SatelliteConfig.Monkey off = load(Map.of()).config().chaos().monkey();
    assertThat(off).isEqualTo(new SatelliteConfig.Monkey(false, 6, List.of(), 0));
    SatelliteConfig.Monkey on = load(Map.of("SATELLITE_CHAOS_MONKEY_TARGETS", "hello"), "chaos.enabled=true",
        "chaos.monkey.enabled=true", "chaos.monkey.crashesPerMinute=20", "chaos.monkey.seed=-3").config().chaos().monkey();
    assertThat(on).isEqualTo(new SatelliteConfig.Monkey(true, 20, List.of("hello"), -3));
    assertThat(problems(() -> load(Map.of(), "chaos.monkey.enabled=true", "chaos.monkey.seed=x",
        "chaos.monkey.crashesPerMinute=0", "chaos.monkey.targets=nobody")))
        .containsExactlyInAnyOrder(
            "chaos.monkey.crashesPerMinute: must be between 0.01 and 6000.0, got 0.0",
            "chaos.monkey.targets: 'nobody' is not an actor of this node; actors: [analytics, echo, hello, push, whoami]",
            "chaos.monkey.seed: expected a whole number, got 'x'",
            "chaos.monkey.enabled: the monkey needs chaos.enabled: true");
  }

  @Test
  void theAnalyticsSectionReachesItsActorAsSettingsAndOffDropsTheActorAndItsRoutes() {
    SatelliteConfig on = load(Map.of(), "analytics.maxBatch=50").config();
    assertThat(on.analytics()).isEqualTo(new SatelliteConfig.Analytics(true, 50, Duration.ofMinutes(10), 128));
    assertThat(on.supervision().root().children()).filteredOn(c -> c.id().equals("analytics")).singleElement()
        .satisfies(c -> assertThat(c.settings()).containsEntry("maxBatch", 50).containsEntry("idempotencyTtl", "10m"));
    SatelliteConfig off = load(Map.of("SATELLITE_ANALYTICS_ENABLED", "false")).config();
    assertThat(off.supervision().root().children()).noneMatch(c -> c.actor().orElse("").equals("analytics"));
    assertThat(off.routes()).extracting(RouteSpec::path).containsExactly("/hello", "/whoami", "/echo", "/push/:topic",
        "/push/:topic", "/push/:topic/ws");
    assertThat(problems(() -> load(Map.of(), "analytics.maxBatch=0", "analytics.idempotencyTtl=10ms", "analytics.x=1")))
        .hasSize(3).anyMatch(p -> p.startsWith("analytics.maxBatch:"))
        .anyMatch(p -> p.startsWith("analytics.idempotencyTtl:")).anyMatch(p -> p.startsWith("analytics.x"));
  }

  @Test
  void clusterTlsNeedsItsThreePemFilesEachNamedWhenMissingOrWrong() throws Exception {
    assertThat(problems(() -> load(Map.of(), "cluster.tls.enabled=true"))).containsExactly(
        "cluster.tls.cert: is needed when cluster.tls.enabled is true (a PEM file)",
        "cluster.tls.key: is needed when cluster.tls.enabled is true (a PEM file)",
        "cluster.tls.ca: is needed when cluster.tls.enabled is true (a PEM file)");
    dev.satellite.support.TestCerts ca = dev.satellite.support.TestCerts.authority("cfg");
    dev.satellite.support.TestCerts.Issued node = ca.issue("n1", dir);
    Path caFile = ca.writeCa(dir);
    assertThat(problems(() -> load(Map.of(), "cluster.tls.enabled=true", "cluster.tls.cert=" + node.key(),
        "cluster.tls.key=" + node.cert(), "cluster.tls.ca=" + dir.resolve("nowhere.pem")))).containsExactly(
        "cluster.tls.cert: " + node.key() + " holds no PEM 'CERTIFICATE' block",
        "cluster.tls.key: " + node.cert() + " holds no PEM 'PRIVATE KEY' block",
        "cluster.tls.ca: no such file: " + dir.resolve("nowhere.pem"));
    SatelliteConfig.Tls tls = load(Map.of("SATELLITE_CLUSTER_TLS_ENABLED", "true"), "cluster.tls.cert=" + node.cert(),
        "cluster.tls.key=" + node.key(), "cluster.tls.ca=" + caFile).config().cluster().tls();
    assertThat(tls.enabled()).isTrue();
    assertThat(tls.ca()).contains(caFile);
  }
}
