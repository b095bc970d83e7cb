package dev.satellite.experiment;

import dev.satellite.experiment.load.LoadGenerator;
import dev.satellite.experiment.load.LoadPlan;
import dev.satellite.experiment.load.StatsServer;
import dev.satellite.experiment.report.HtmlReport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The runner's one door to the load generator, its stats endpoint and the report (packages
 * {@code experiment.load} and {@code experiment.report}): a non-clustered Vert.x of its own, a {@link StatsServer}
 * on loopback (always, so {@code stats_url} is there even without load: it then answers zeros), and the
 * {@link LoadGenerator} of the experiment's {@code load} key when {@link #startLoad} is called. Blocking waits happen
 * on the runner's thread, never on Vert.x's event loop.
 *
 * <p>Thread-safe: the generator reference is volatile; start/stop are called by the runner's main thread.
 */
public final class RunLoad implements AutoCloseable {

  private final Vertx vertx;
  private final StatsServer stats;
  private volatile LoadGenerator generator;
  private volatile Instant loadStart;

  private RunLoad(Vertx vertx, StatsServer stats) {
    this.vertx = vertx;
    this.stats = stats;
  }

  /** Starts Vert.x and the stats endpoint. */
  public static RunLoad open() throws IOException {
    Vertx vertx = Vertx.vertx();
    RunLoad[] self = new RunLoad[1];
    try {
      StatsServer stats = StatsServer.start(vertx, () -> self[0] == null ? null : self[0].generator)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      self[0] = new RunLoad(vertx, stats);
      return self[0];
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      vertx.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("the stats endpoint did not start: " + e, e);
    }
  }

  public String statsUrl() {
    return "http://127.0.0.1:" + stats.port() + "/stats";
  }

  /** The runner's trivial upstream: every path under {@code /up/} answers 200. */
  public String upstreamUrl() {
    return "http://127.0.0.1:" + stats.port();
  }

  /** The targets of {@code spec}: each route (a path) on each node's base URL, or the route itself (an absolute URL). */
  public static List<URI> targets(LoadSpec spec, List<URI> nodes) {
    List<URI> out = new ArrayList<>();
    for (String route : spec.routes()) {
      if (route.startsWith("/")) {
        nodes.forEach(n -> out.add(URI.create(n.toString() + route)));
      } else {
        out.add(URI.create(route));
      }
    }
    return out;
  }

  /**
   * Runs the load for its warm-up time and waits for it to end; nothing of it is kept. An interruption (the run is
   * being stopped) ends it early; the runner's own interruption handling takes over from there.
   */
  public void warmUp(LoadSpec spec, List<URI> nodes) {
    LoadGenerator warm = LoadGenerator.start(vertx, new LoadPlan(spec.rate(), spec.warmup(), targets(spec, nodes),
        spec.connections(), spec.timeout()));
    try {
      warm.finished().toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      // a warm-up that went badly still warmed up
    } catch (InterruptedException e) {
      warm.stop();
    }
  }

  public void startLoad(LoadSpec spec, List<URI> nodes, Instant now) {
    loadStart = now;
    generator = LoadGenerator.start(vertx, new LoadPlan(spec.rate(), spec.duration(), targets(spec, nodes),
        spec.connections(), spec.timeout()));
  }

  /** Waits until the load's duration is over and every request is answered or timed out (at once without load). */
  public void awaitFinished() throws InterruptedException {
    LoadGenerator g = generator;
    if (g == null) {
      return;
    }
    try {
      g.finished().toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      // the load ended badly: its statistics say how
    }
  }

  public void stopLoad() {
    LoadGenerator g = generator;
    if (g != null) {
      g.stop();
    }
  }

  /** The per-second timeline with {@code t} counted from the journal's start (null without load). */
  public JsonArray timeline(Instant journalStart) {
    LoadGenerator g = generator;
    if (g == null) {
      return new JsonArray();
    }
    long offset = (long) Math.floor(Marker.seconds(journalStart, loadStart));
    JsonArray out = new JsonArray();
    for (Object o : g.timeline()) {
      if (o instanceof JsonObject e) {
        JsonObject c = e.copy();
        c.put("t", e.getLong("t", 0L) + offset);
        out.add(c);
      }
    }
    return out;
  }

  /** The first failure of each transport kind of the load ("connect", "io"), empty without load. */
  public Map<String, String> firstFailures() {
    LoadGenerator g = generator;
    return g == null ? Map.of() : g.firstFailures();
  }

  /** Statistics of the whole load, or null without load. */
  public JsonObject total() {
    LoadGenerator g = generator;
    return g == null ? null : g.total().toJson();
  }

  /** Writes the HTML report of {@code journal}. */
  public static void writeReport(JsonObject journal, Path file) throws IOException {
    HtmlReport.write(journal, file);
  }

  @Override
  public void close() {
    stopLoad();
    try {
      stats.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException ignored) {
      // closing anyway
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException ignored) {
      // the process is about to exit
    }
  }
}
