package dev.satellite.it;

import static dev.satellite.deploy.BaseManifests.container;
import static dev.satellite.deploy.BaseManifests.deployment;
import static dev.satellite.deploy.BaseManifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.Durations;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * A rolling restart as the base Deployment asks Kubernetes for one ({@code maxSurge: 1, maxUnavailable: 0}),
 * simulated from the jar: three clustered nodes under a steady open-model load — GET /hello and POST /events in
 * turn, round-robin over the nodes in rotation, kept-alive connections to every node — while an "endpoints
 * controller" probes each node's readiness with the Deployment's own probe period and failure threshold and takes a
 * node out of rotation when it fails that often (into rotation at its first success). Each node is replaced in
 * turn: a new one is started and waited for, then the old one gets SIGTERM and drains for the
 * {@code shutdown.drainDelay} of the manifests' node config. Every request must succeed, every old node exit 0, and
 * the counts must equal the events acknowledged: nothing is lost and nothing refused while the whole cluster is
 * replaced. Prints the latency during the roll.
 */
class RollingRestartIT {

  private static final String TOKEN = "rolling-it";
  /** 200 requests a second, one every 5 ms. */
  private static final long EVERY_MS = 5;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int CONNECTIONS_PER_NODE = 8;

  @TempDir
  Path dir;

  private final String cluster = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
  private final Map<NodeProcess, String> names = new ConcurrentHashMap<>();
  private final List<NodeProcess> rotation = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  /** What happened when, for the failure message: node starts, SIGTERMs, exits, rotation changes. */
  private final List<String> timeline = new CopyOnWriteArrayList<>();
  private final long origin = System.nanoTime();
  private final Histogram rollLatency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledgedEvents = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<Integer, AtomicLong> servedBy = new ConcurrentHashMap<>();
  private volatile boolean rolling;
  private Vertx vertx;
  private long sender = -1;
  private ScheduledExecutorService controller;

  @AfterEach
  void tearDown() throws Exception {
    if (controller != null) {
      controller.shutdownNow();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  @Test
  void replacingEveryNodeUnderLoadFailsNoRequestAndLosesNoEvent() throws Exception {
    Map<String, Object> spec = map(deployment().get("spec"));
    // what this test does is the roll the Deployment asks for: one new pod first, no old one gone before it
    assertThat(spec).extractingByKey("strategy").extracting("rollingUpdate")
        .isEqualTo(Map.of("maxSurge", 1, "maxUnavailable", 0));
    Map<String, Object> probe = map(container().get("readinessProbe"));
    Duration period = Duration.ofSeconds(((Number) probe.get("periodSeconds")).longValue());
    int failureThreshold = ((Number) probe.get("failureThreshold")).intValue();
    String drainDelay = drainDelay();
    Map<String, String> env = Map.of("SATELLITE_ADMIN_TOKEN", TOKEN, "SATELLITE_SHUTDOWN_DRAIN_DELAY", drainDelay);
    // the probes must take a draining node out before its drain ends, or this test cannot pass
    assertThat(period.multipliedBy(failureThreshold)).isLessThan(Durations.parse(drainDelay));

    List<NodeProcess> old = new ArrayList<>();
    for (String id : List.of("old-1", "old-2", "old-3")) { // as a Deployment starts its first pods: together
      old.add(start(id, env));
    }
    for (NodeProcess n : old) {
      n.awaitReady(Duration.ofSeconds(60));
      event(names.get(n) + " ready");
    }
    startController(period, failureThreshold);
    awaitRotation(Set.copyOf(old), period.multipliedBy(3));
    startLoad();
    Thread.sleep(2_000); // steady load before the roll

    List<NodeProcess> fresh = new ArrayList<>();
    rolling = true;
    for (int i = 0; i < old.size(); i++) {
      NodeProcess next = startReady("new-" + (i + 1), env); // maxSurge 1: the new pod first
      fresh.add(next);
      awaitRotation(Set.of(next), period.multipliedBy(3));
      NodeProcess leaving = old.get(i); // then the old one goes (maxUnavailable 0)
      event("SIGTERM to " + names.get(leaving));
      leaving.terminate();
      assertThat(leaving.awaitExit(Duration.ofSeconds(60))).as("old-%d exits cleanly after its drain", i + 1)
          .isZero();
      event(names.get(leaving) + " exited");
      assertThat(rotation).as("old-%d left the rotation before it exited", i + 1).doesNotContain(leaving);
    }
    rolling = false;
    Thread.sleep(1_000); // steady load after the roll
    long total = stopLoad();

    for (NodeProcess n : fresh) {
      assertThat(servedBy.getOrDefault(n.httpPort, new AtomicLong()).get()).as("requests the new nodes served")
          .isPositive();
      JsonObject view = new JsonObject(n.admin(TOKEN, "GET", "/admin/cluster", null).body());
      Set<String> members = new HashSet<>();
      view.getJsonArray("members").forEach(m -> members.add(((JsonObject) m).getString("id")));
      assertThat(members).as("the cluster after the roll").containsExactlyInAnyOrder("new-1", "new-2", "new-3");
    }
    assertThat(failures).as("failed requests during the roll (of %d); what happened:%n%s", total,
        String.join("\n", timeline)).isEmpty();
    for (NodeProcess n : fresh) {
      HttpResponse<String> stats = n.get("/stats/roll");
      assertThat(stats.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(stats.body()).getLong("count")).as("events counted, seen from node %d", n.httpPort)
          .isEqualTo(acknowledgedEvents.get());
    }
    System.out.printf("rolling restart: %d requests, 0 failed, %d events counted as acknowledged; during the roll "
            + "%d requests, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", total, acknowledgedEvents.get(),
        rollLatency.getTotalCount(), rollLatency.getValueAtPercentile(50) / 1000.0,
        rollLatency.getValueAtPercentile(99) / 1000.0, rollLatency.getMaxValue() / 1000.0);
  }

  private NodeProcess start(String id, Map<String, String> env) throws Exception {
    event("starting " + id);
    NodeProcess n = NodeProcess.startClustered(dir, cluster, id, env);
    nodes.add(n);
    names.put(n, id);
    return n;
  }

  private NodeProcess startReady(String id, Map<String, String> env) throws Exception {
    NodeProcess n = start(id, env);
    n.awaitReady(Duration.ofSeconds(60));
    event(id + " ready");
    return n;
  }

  /**
   * Probes every node's readiness each {@code period}, as the kubelet does, and keeps {@link #rotation} as an
   * endpoints controller would: in at the first success, out after {@code failureThreshold} failures in a row (a
   * node that exited counts as failing).
   */
  private void startController(Duration period, int failureThreshold) {
    Map<NodeProcess, Integer> failed = new HashMap<>();
    controller = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "endpoints-controller"));
    controller.scheduleAtFixedRate(() -> {
      for (NodeProcess n : List.copyOf(nodes)) {
        if (ready(n)) {
          failed.put(n, 0);
          if (!rotation.contains(n)) {
            rotation.add(n);
            event(names.get(n) + " into rotation");
          }
        } else if (failed.merge(n, 1, Integer::sum) >= failureThreshold && rotation.remove(n)) {
          event(names.get(n) + " out of rotation");
        }
      }
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private String at() {
    return String.format("%7.3f s  ", (System.nanoTime() - origin) / 1e9);
  }

  private void event(String what) {
    timeline.add(at() + what);
  }

  private static boolean ready(NodeProcess n) {
    try {
      return n.process().isAlive() && n.ready();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void awaitRotation(Set<NodeProcess> wanted, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!rotation.containsAll(wanted)) {
      assertThat(System.nanoTime()).as("nodes in rotation within %s", within).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** One request every {@value #EVERY_MS} ms whatever the answers do (an open model), to the next node in rotation. */
  private void startLoad() {
    vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_NODE));
    AtomicLong next = new AtomicLong();
    sender = vertx.setPeriodic(EVERY_MS, id -> {
      List<NodeProcess> targets = List.copyOf(rotation);
      if (targets.isEmpty()) {
        failures.add(at() + "no node in rotation");
        return;
      }
      long n = next.getAndIncrement();
      NodeProcess target = targets.get((int) (n % targets.size()));
      boolean event = n % 2 == 1;
      RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(target.httpPort)
          .setMethod(event ? HttpMethod.POST : HttpMethod.GET).setURI(event ? "/events" : "/hello")
          .setConnectTimeout(REQUEST_TIMEOUT.toMillis()).setIdleTimeout(REQUEST_TIMEOUT.toMillis());
      if (event) {
        options.putHeader("Content-Type", "application/json");
      }
      Buffer body = event ? Buffer.buffer("{\"name\":\"roll\",\"value\":1}") : Buffer.buffer();
      boolean duringRoll = rolling;
      long start = System.nanoTime();
      sent.incrementAndGet();
      inFlight.incrementAndGet();
      client.request(options)
          .compose(req -> req.send(body))
          .compose(resp -> resp.body().map(b -> answer(resp, b)))
          .onComplete(ar -> {
            inFlight.decrementAndGet();
            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            String what = at() + (event ? "POST /events" : "GET /hello") + " to " + names.get(target);
            if (ar.failed()) {
              failures.add(what + ": " + ar.cause());
              return;
            }
            int expected = event ? 202 : 200;
            if (ar.result().status() != expected) {
              failures.add(what + ": " + ar.result().status() + " " + ar.result().body());
              return;
            }
            servedBy.computeIfAbsent(target.httpPort, p -> new AtomicLong()).incrementAndGet();
            if (event) {
              acknowledgedEvents.incrementAndGet();
            }
            if (duringRoll) {
              synchronized (rollLatency) {
                rollLatency.recordValue(Math.min(micros, rollLatency.getHighestTrackableValue()));
              }
            }
          });
    });
  }

  private record Answer(int status, String body) {
  }

  private static Answer answer(HttpClientResponse resp, Buffer body) {
    return new Answer(resp.statusCode(), body.toString());
  }

  /** Stops sending, waits for every answer, and returns how many requests were sent. */
  private long stopLoad() throws Exception {
    vertx.cancelTimer(sender);
    long deadline = System.nanoTime() + REQUEST_TIMEOUT.plusSeconds(5).toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(inFlight.get()).as("requests never answered").isZero();
    return sent.get();
  }

  private static String drainDelay() throws IOException {
    Map<String, Object> node = new Yaml().load(Files.readString(Path.of("k8s/base/node.yaml")));
    return String.valueOf(map(node.get("shutdown")).get("drainDelay"));
  }
}
