package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analytics on three clustered nodes from the jar: clients post batches with an {@code Idempotency-Key}, each retried
 * — on the next node — until it is acknowledged (202); one node is killed with SIGKILL in the middle of it. Batches
 * it had half applied are completed by their retries, none doubled: every node then reports exactly the events that
 * were acknowledged.
 */
class AnalyticsIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();
  private static final int CLIENTS = 4;
  /** Many names per batch: each is its own update on its own owner, so a kill is likely to fall inside a batch. */
  private static final String[] NAMES = java.util.stream.IntStream.range(0, 24).mapToObj(i -> "event-" + i)
      .toArray(String[]::new);
  private static final int PER_NAME = 2;

  @TempDir
  Path dir;

  private final String cluster = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  private NodeProcess start(String id) throws IOException {
    NodeProcess node = NodeProcess.startClustered(dir, cluster, id, Map.of());
    nodes.add(node);
    return node;
  }

  private static JsonArray batch() {
    JsonArray events = new JsonArray();
    for (String name : NAMES) {
      for (int i = 0; i < PER_NAME; i++) {
        events.add(new JsonObject().put("name", name).put("value", 2));
      }
    }
    return events;
  }

  /** One POST; the response, or null when the node could not be reached or did not answer in time. */
  private static HttpResponse<String> post(NodeProcess node, String body, String key) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/events"))
          .timeout(Duration.ofSeconds(3)).header("content-type", "application/json").header("Idempotency-Key", key)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Test
  void killingANodeMidIngestionLosesAndDoublesNothingAcknowledged() throws Exception {
    List<NodeProcess> three = List.of(start("node-1"), start("node-2"), start("node-3"));
    for (NodeProcess n : three) {
      n.awaitReady(Duration.ofSeconds(60));
    }
    String body = batch().encode();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong acknowledged = new AtomicLong();
    LongAdder retries = new LongAdder();
    LongAdder replays = new LongAdder();
    Map<String, String> unacknowledged = new ConcurrentHashMap<>();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        int attempt = client;
        for (int b = 0; !stop.get(); b++) {
          String key = "client-" + client + "-batch-" + b;
          long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
          boolean acked = false;
          while (!acked && System.nanoTime() < giveUp) {
            HttpResponse<String> r = post(three.get(attempt++ % three.size()), body, key);
            if (r != null && r.statusCode() == 202) {
              acked = true;
              if (new JsonObject(r.body()).getBoolean("replay")) {
                replays.increment();
              }
            } else {
              retries.increment();
            }
          }
          if (acked) {
            acknowledged.incrementAndGet();
          } else {
            unacknowledged.put(key, "no 202 within 20 s");
            return;
          }
        }
      }, "analytics-client-" + client);
      t.start();
      clients.add(t);
    }
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (acknowledged.get() < 25 && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    NodeProcess victim = three.get(2);
    victim.process().destroyForcibly(); // SIGKILL
    victim.process().waitFor();
    long before = acknowledged.get();
    until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (acknowledged.get() < before + 25 && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    stop.set(true);
    for (Thread t : clients) {
      t.join(30_000);
    }
    assertThat(unacknowledged).as("every batch was acknowledged in the end").isEmpty();
    assertThat(acknowledged.get()).as("batches acknowledged after the kill").isGreaterThan(before);
    long batches = acknowledged.get();
    for (NodeProcess survivor : three.subList(0, 2)) {
      for (String name : NAMES) {
        HttpResponse<String> r = survivor.get("/stats/" + name);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject stats = new JsonObject(r.body());
        assertThat(stats.getLong("count")).as("%s on %s (%d batches, %d retries, %d replays)", name,
            survivor.httpPort, batches, retries.sum(), replays.sum()).isEqualTo(batches * PER_NAME);
        assertThat(stats.getDouble("sum")).isEqualTo(batches * PER_NAME * 2.0);
      }
    }
    System.out.printf("analytics IT: %d batches acknowledged, %d retries, %d answered as replays%n", batches,
        retries.sum(), replays.sum());
  }
}
