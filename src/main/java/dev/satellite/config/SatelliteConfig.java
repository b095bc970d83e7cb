package dev.satellite.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node's configuration: immutable, bound and validated once at start. Each section is a record of
 * its own; defaults are stated once, in the embedded {@code conf/node.yaml}.
 *
 * @param eventLoops the node's event-loop threads ({@code node.eventLoops}, 0 there meaning one per available core)
 */
public record SatelliteConfig(
    String nodeId,
    int eventLoops,
    Http http,
    Admin admin,
    Cluster cluster,
    Shutdown shutdown,
    Log log,
    Chaos chaos,
    SupervisionConfig supervision,
    EdgeConfig edge,
    List<RouteSpec> routes,
    RouteSpec actorCalls,
    Metrics metrics,
    Analytics analytics,
    Push push) {

  public SatelliteConfig {
    routes = List.copyOf(routes);
  }

  /** {@code h2c}: whether cleartext HTTP/2 (prior knowledge or upgrade) is served besides HTTP/1.x. */
  public record Http(String host, int port, int instances, Duration requestTimeout, boolean h2c, ListenerTls tls) {
  }

  /** TLS on a listener: on when both PEM files are given (a certificate chain and its key); re-read when they change. */
  public record ListenerTls(Optional<Path> cert, Optional<Path> key) {
    public boolean enabled() {
      return cert.isPresent() && key.isPresent();
    }
  }

  /**
   * The admin listener and who may use its API: {@code tokens} are {@code admin.tokens} plus, when given,
   * {@code admin.token} or {@code admin.tokenFile} as one {@code operate} token named {@code admin} (no token at all
   * turns the admin API off); {@code sessionTtl} is how long a console sign-in lasts.
   */
  public record Admin(String host, int port, List<AdminToken> tokens, Duration sessionTtl, ListenerTls tls) {
    public Admin {
      tokens = List.copyOf(tokens);
    }

    public boolean apiEnabled() {
      return !tokens.isEmpty();
    }
  }

  /** What a token may do: {@code READ} only reads (GET), {@code OPERATE} also changes state (chaos faults). */
  public enum AdminRole {
    READ, OPERATE;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One named admin token: its value is {@code token}, or the tokens of {@code file} ({@code fileTokens} as read
   * with the config; none while the file does not exist: it may be a Secret mounted later; re-read when it changes).
   */
  public record AdminToken(String name, AdminRole role, Optional<String> token, Optional<Path> file,
      List<String> fileTokens) {
    public AdminToken {
      fileTokens = List.copyOf(fileTokens);
    }

    @Override
    public String toString() {
      return "AdminToken[name=" + name + ", role=" + role.id() + ", " + file.map(f -> "file=" + f).orElse("inline")
          + "]";
    }
  }

  /**
   * {@code hazelcastConfig} empty means the built-in Hazelcast config; {@code host} empty means
   * {@code $POD_IP} or 127.0.0.1; {@code kubernetesServiceDns} empty means the one-machine TCP-IP join.
   */
  public record Cluster(boolean enabled, String name, Optional<Path> hazelcastConfig, String host, int eventBusPort,
      Duration heartbeat, Duration maxNoHeartbeat, Duration mergeDelay, Duration tick, Duration ejectAfter,
      Duration ejectProbe, Duration maxPause, String kubernetesServiceDns, Tls tls) {
  }

  /** Mutual TLS on the event bus: with {@code enabled}, all three PEM files are given and exist. */
  public record Tls(boolean enabled, Optional<Path> cert, Optional<Path> key, Optional<Path> ca) {
  }

  public record Shutdown(Duration drainDelay, Duration grace) {
  }

  /** {@code config} empty means the built-in Logback config. */
  public record Log(String format, String level, boolean access, Optional<Path> config) {
    public boolean json() {
      return format.equals("json");
    }
  }

  /** {@code enabled}: the fault API is mounted; {@code monkey}: random crashes of actor instances, all day. */
  public record Chaos(boolean enabled, Monkey monkey) {
  }

  /**
   * The chaos monkey: crashes a random serving instance of {@code targets} (actor ids; empty = every actor) as a
   * Poisson process at {@code crashesPerMinute}; {@code seed} 0 draws one at start (and logs it).
   */
  public record Monkey(boolean enabled, double crashesPerMinute, List<String> targets, long seed) {
    public Monkey {
      targets = List.copyOf(targets);
    }
  }

  /**
   * Vert.x's own per-message and per-request meters: {@code eventBus} the {@code vertx_eventbus_*} meters,
   * {@code httpRequests} the {@code vertx_http_server_requests_*} / {@code vertx_http_client_requests_*} ones.
   * Both look meters up by tags on every message or request; Satellite's own route and actor meters are always on.
   * {@code host}/{@code port}: the metrics listener; port 0 means none (the admin listener serves /metrics anyway).
   */
  public record Metrics(boolean eventBus, boolean httpRequests, String host, int port) {
    public boolean listener() {
      return port != 0;
    }
  }

  /**
   * The analytics service ({@code POST /events}, {@code GET /stats/{name}}); {@code enabled: false} drops its actor
   * and every route to it.
   *
   * @param maxBatch       most events in one request
   * @param idempotencyTtl how long an {@code Idempotency-Key} is remembered per event name
   * @param maxNameLength  longest event name
   */
  public record Analytics(boolean enabled, int maxBatch, Duration idempotencyTtl, int maxNameLength) {
  }

  /**
   * The push service: {@code historySize} messages kept per topic (the resume window), the largest message in
   * bytes, subscribers and topics one node holds, the heartbeat of idle streams, and the bytes a subscriber may
   * have queued before it is closed as a slow consumer. {@code enabled: false} drops the push actor and its routes.
   */
  public record Push(boolean enabled, int historySize, int maxMessageSize, int maxSubscribers, int maxTopics,
      Duration heartbeat, int subscriberBuffer) {

    /** The defaults of {@code conf/node.yaml}. */
    public static final Push DEFAULTS = new Push(true, 1000, 65536, 10_000, 10_000, Duration.ofSeconds(15), 1 << 20);

    /** The push actor's type and the stream target's name in {@code supervision.children} and {@code routes}. */
    public static final String SERVICE = "push";
  }

  static SatelliteConfig read(ConfigReader r, Path workDir) {
    r.onlyKeys(Set.of("node", "http", "admin", "cluster", "shutdown", "log", "chaos", "supervision", "edge", "defaults",
        "routes", "metrics", "analytics", "push"));

    ConfigReader node = r.section("node");
    String nodeId = node.string("id", "").trim();
    if (nodeId.isEmpty()) {
      nodeId = defaultNodeId();
    } else if (!nodeId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      node.problem("id", "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '" + nodeId + "'");
    }
    int eventLoops = node.integer("eventLoops", 0, 0, 256);
    if (eventLoops == 0) {
      eventLoops = Runtime.getRuntime().availableProcessors(); // the container's CPU limit, where there is one
    }

    ConfigReader h = r.section("http");
    Http http = new Http(
        h.string("host", "0.0.0.0"),
        h.port("port", 8080),
        h.integer("instances", 0, 0, 64),
        h.duration("requestTimeout", Duration.ofSeconds(1), Duration.ofMillis(1)),
        h.bool("h2c", false),
        listenerTls(h.section("tls"), workDir));

    ConfigReader a = r.section("admin");
    Admin admin = new Admin(a.string("host", "127.0.0.1"), a.port("port", 9090), adminTokens(a, workDir),
        a.duration("sessionTtl", Duration.ofHours(8), Duration.ofMinutes(1)), listenerTls(a.section("tls"), workDir));
    if (admin.port() == http.port()) {
      a.problem("port", "must differ from http.port (" + http.port() + ")");
    }

    ConfigReader c = r.section("cluster");
    String clusterName = c.string("name", "satellite");
    if (!clusterName.matches("[A-Za-z0-9._-]{1,63}")) {
      c.problem("name", "must be 1-63 letters, digits, '.', '_' or '-', got '" + clusterName + "'");
    }
    Duration heartbeat = c.duration("heartbeat", Duration.ofSeconds(1), Duration.ofSeconds(1));
    Duration maxNoHeartbeat = c.duration("maxNoHeartbeat", Duration.ofSeconds(5), Duration.ofSeconds(2));
    if (maxNoHeartbeat.compareTo(heartbeat.multipliedBy(2)) < 0) {
      c.problem("maxNoHeartbeat", "must be at least twice cluster.heartbeat (" + Durations.format(heartbeat) + ")");
    }
    Duration tick = c.duration("tick", Duration.ofMillis(100), Duration.ofMillis(10));
    Duration ejectAfter = c.duration("ejectAfter", Duration.ofMillis(600), Duration.ofMillis(20));
    if (ejectAfter.compareTo(tick.multipliedBy(3)) < 0) {
      c.problem("ejectAfter", "must be at least three times cluster.tick (" + Durations.format(tick)
          + "): one late tick must not eject a node");
    }
    Cluster cluster = new Cluster(c.bool("enabled", false), clusterName, path(c, "hazelcastConfig", workDir),
        c.string("host", "").trim(), c.integer("eventBusPort", 0, 0, 65535), heartbeat, maxNoHeartbeat,
        c.duration("mergeDelay", Duration.ofSeconds(5), Duration.ofSeconds(1)), tick, ejectAfter,
        c.duration("ejectProbe", Duration.ofSeconds(1), Duration.ofMillis(50)),
        c.duration("maxPause", Duration.ofSeconds(4), Duration.ofMillis(500)),
        c.section("kubernetes").string("serviceDns", "").trim(), tls(c.section("tls"), workDir));

    ConfigReader s = r.section("shutdown");
    Shutdown shutdown = new Shutdown(s.duration("drainDelay", Duration.ZERO), s.duration("grace", Duration.ofSeconds(20)));

    ConfigReader l = r.section("log");
    Log log = new Log(
        l.oneOf("format", "text", List.of("text", "json")),
        l.oneOf("level", "INFO", List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR")),
        l.bool("access", false),
        path(l, "config", workDir));

    SupervisionConfig supervision = SupervisionConfig.read(r.section("supervision"), eventLoops);
    Chaos chaos = chaos(r.section("chaos"), supervision);

    EdgeConfig edge = RoutesConfig.edge(r.section("edge"));
    RoutesConfig.Policies defaults = RoutesConfig.defaults(r.section("defaults"), cluster.enabled(), workDir);
    List<RouteSpec> routes = RoutesConfig.routes(defaults, r.list("routes"), http.requestTimeout(), cluster.enabled(),
        workDir);
    RouteSpec actorCalls = RoutesConfig.actorCalls(defaults, http.requestTimeout());

    ConfigReader m = r.section("metrics");
    Metrics metrics = new Metrics(m.bool("eventBus", false), m.bool("httpRequests", false), m.string("host", "0.0.0.0"),
        m.integer("port", 0, 0, 65535));
    if (metrics.listener() && (metrics.port() == http.port() || metrics.port() == admin.port())) {
      m.problem("port", "must differ from http.port (" + http.port() + ") and admin.port (" + admin.port() + ")");
    }

    ConfigReader an = r.section("analytics");
    an.onlyKeys(Set.of("enabled", "maxBatch", "idempotencyTtl", "maxNameLength"));
    Analytics analytics = new Analytics(an.bool("enabled", true), an.integer("maxBatch", 1000, 1, 100_000),
        an.duration("idempotencyTtl", Duration.ofMinutes(10), Duration.ofSeconds(1)),
        an.integer("maxNameLength", 128, 1, 1024));
    ServiceSwitch.Applied switched = ServiceSwitch.apply(supervision, routes, "analytics", analytics.enabled(),
        java.util.Map.of("maxBatch", analytics.maxBatch(),
            "idempotencyTtl", Durations.format(analytics.idempotencyTtl()),
            "maxNameLength", analytics.maxNameLength()));
    supervision = switched.supervision();
    routes = switched.routes();
    Push push = push(r.section("push"));
    switched = ServiceSwitch.apply(supervision, routes, Push.SERVICE, push.enabled(), java.util.Map.of());
    supervision = switched.supervision();
    routes = switched.routes();

    return new SatelliteConfig(nodeId, eventLoops, http, admin, cluster, shutdown, log, chaos, supervision, edge, routes, actorCalls,
        metrics, analytics, push);
  }

  private static Push push(ConfigReader p) {
    p.onlyKeys(Set.of("enabled", "historySize", "maxMessageSize", "maxSubscribers", "maxTopics", "heartbeat",
        "subscriberBuffer"));
    Push d = Push.DEFAULTS;
    return new Push(p.bool("enabled", d.enabled()),
        p.integer("historySize", d.historySize(), 1, 10_000_000),
        p.integer("maxMessageSize", d.maxMessageSize(), 1, 16 * 1024 * 1024),
        p.integer("maxSubscribers", d.maxSubscribers(), 1, 10_000_000),
        p.integer("maxTopics", d.maxTopics(), 1, 10_000_000),
        p.duration("heartbeat", d.heartbeat(), Duration.ofMillis(100)),
        p.integer("subscriberBuffer", d.subscriberBuffer(), 1024, Integer.MAX_VALUE));
  }

  private static Chaos chaos(ConfigReader c, SupervisionConfig supervision) {
    c.onlyKeys(Set.of("enabled", "monkey"));
    boolean enabled = c.bool("enabled", false);
    ConfigReader m = c.section("monkey");
    m.onlyKeys(Set.of("enabled", "crashesPerMinute", "targets", "seed"));
    boolean on = m.bool("enabled", false);
    double rate = m.decimal("crashesPerMinute", 6, 0.01, 6000);
    List<String> targets = m.strings("targets").stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
    Set<String> actors = new TreeSet<>();
    actorIds(supervision.root(), actors);
    for (String t : targets) {
      if (!actors.contains(t)) {
        m.problem("targets", "'" + t + "' is not an actor of this node; actors: " + actors);
      }
    }
    long seed = 0;
    String seedText = m.string("seed", "0").trim();
    try {
      seed = Long.parseLong(seedText);
    } catch (NumberFormatException e) {
      m.problem("seed", "expected a whole number, got '" + seedText + "'");
    }
    if (on && !enabled) {
      m.problem("enabled", "the monkey needs chaos.enabled: true");
    }
    return new Chaos(enabled, new Monkey(on, rate, targets, seed));
  }

  private static void actorIds(SupervisorSpec spec, Set<String> into) {
    for (ChildSpec child : spec.children()) {
      if (child.isSupervisor()) {
        actorIds(child.supervisor().orElseThrow(), into);
      } else {
        into.add(child.id());
      }
    }
  }

  private static final Set<String> ADMIN_TOKEN_KEYS = Set.of("name", "token", "tokenFile", "role");
  private static final java.util.regex.Pattern TOKEN_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,63}");

  /** {@code admin.token} / {@code admin.tokenFile} (one {@code operate} token named {@code admin}) and {@code admin.tokens}. */
  private static List<AdminToken> adminTokens(ConfigReader a, Path workDir) {
    List<AdminToken> tokens = new java.util.ArrayList<>();
    String shorthand = a.string("token", "");
    Optional<AdminToken> single = adminToken(a, "admin", AdminRole.OPERATE, shorthand, a.string("tokenFile", ""), workDir,
        "give admin.token or admin.tokenFile, not both");
    single.ifPresent(tokens::add);
    Set<String> names = new java.util.HashSet<>(single.map(t -> Set.of(t.name())).orElse(Set.of()));
    for (ConfigReader t : a.list("tokens")) {
      t.onlyKeys(ADMIN_TOKEN_KEYS);
      String name = t.string("name", "");
      if (!TOKEN_NAME.matcher(name).matches()) {
        t.problem("name", "must be 1-63 letters, digits, '.', '_' or '-' (it names the token in the audit log), got '"
            + name + "'");
      } else if (!names.add(name)) {
        t.problem("name", "'" + name + "' is already taken" + ("admin".equals(name) && single.isPresent()
            ? " (by admin.token / admin.tokenFile)" : " by another token"));
      }
      String role = t.oneOf("role", "read", List.of("read", "operate"));
      String value = t.string("token", "");
      String file = t.string("tokenFile", "");
      if (value.isEmpty() && file.isBlank()) {
        t.problem("token", "give token or tokenFile");
      }
      adminToken(t, name, AdminRole.valueOf(role.toUpperCase(java.util.Locale.ROOT)), value, file, workDir,
          "give token or tokenFile, not both").ifPresent(tokens::add);
    }
    return tokens;
  }

  /** One token from a section's {@code token} / {@code tokenFile}; empty when neither is given. */
  private static Optional<AdminToken> adminToken(ConfigReader r, String name, AdminRole role, String value,
      String fileText, Path workDir, String bothProblem) {
    Optional<Path> file = fileText.isBlank() ? Optional.empty() : Optional.of(workDir.resolve(fileText.trim()).normalize());
    if (!value.isEmpty() && file.isPresent()) {
      r.problem("tokenFile", bothProblem);
    }
    if (!value.isEmpty() && !TokenFiles.valid(value)) {
      r.problem("token", "is not a bearer token (letters, digits and -._~+/, then any '=')");
    }
    if (value.isEmpty() && file.isEmpty()) {
      return Optional.empty();
    }
    // a file that is not there (yet) is no error: a Secret mounted as optional appears once it exists, and until
    // then no token of it opens /admin/* (the node says so in its log)
    List<String> fileTokens = file.filter(Files::exists).map(f -> RoutesConfig.fileTokens(r, f, false)).orElse(List.of());
    return Optional.of(new AdminToken(name, role, value.isEmpty() ? Optional.empty() : Optional.of(value),
        value.isEmpty() ? file : Optional.empty(), fileTokens));
  }

  /** {@code cert} and {@code key} of a listener's {@code tls} section: both or neither. */
  private static ListenerTls listenerTls(ConfigReader t, Path workDir) {
    ListenerTls tls = new ListenerTls(pem(t, "cert", "CERTIFICATE", workDir), pem(t, "key", "PRIVATE KEY", workDir));
    if (tls.cert().isPresent() != tls.key().isPresent()) {
      t.problem(tls.cert().isPresent() ? "key" : "cert", "is needed too: TLS on a listener takes a certificate (cert)"
          + " and its private key (key), both PEM files");
    }
    return tls;
  }

  private static Tls tls(ConfigReader t, Path workDir) {
    Tls tls = new Tls(t.bool("enabled", false), pem(t, "cert", "CERTIFICATE", workDir),
        pem(t, "key", "PRIVATE KEY", workDir), pem(t, "ca", "CERTIFICATE", workDir));
    if (tls.enabled()) {
      for (var file : List.of(Map.entry("cert", tls.cert()), Map.entry("key", tls.key()), Map.entry("ca", tls.ca()))) {
        if (file.getValue().isEmpty()) {
          t.problem(file.getKey(), "is needed when cluster.tls.enabled is true (a PEM file)");
        }
      }
    }
    return tls;
  }

  /** An optional PEM file that must hold a block whose label ends with {@code label}. */
  private static Optional<Path> pem(ConfigReader r, String name, String label, Path workDir) {
    Optional<Path> p = path(r, name, workDir);
    if (p.isPresent() && p.get().toFile().isFile()) {
      try {
        String text = Files.readString(p.get(), StandardCharsets.ISO_8859_1);
        if (!text.matches("(?s).*-----BEGIN [A-Z ]*" + label + "-----.*")) {
          r.problem(name, p.get() + " holds no PEM '" + label + "' block");
        }
      } catch (IOException e) {
        r.problem(name, "cannot be read: " + p.get() + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    return p;
  }

  /** An optional file path: empty means "built-in"; relative paths resolve against the working directory; must exist. */
  private static Optional<Path> path(ConfigReader r, String name, Path workDir) {
    String text = r.string(name, "").trim();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Path p = workDir.resolve(text).normalize();
    if (!p.toFile().isFile()) {
      r.problem(name, "no such file: " + p);
    }
    return Optional.of(p);
  }

  /**
   * Unique per process: the host name (the pod name on Kubernetes) and the pid, so two local nodes never
   * share an id.
   */
  static String defaultNodeId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "satellite";
      }
    }
    String clean = host.replaceAll("[^A-Za-z0-9._-]", "-");
    if (clean.length() > 40) {
      clean = clean.substring(0, 40);
    }
    return clean + "-" + ProcessHandle.current().pid();
  }
}
