package dev.satellite.experiment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's journal as it is built: Chaos Toolkit's keys ({@code chaoslib-version}, {@code platform}, {@code node},
 * {@code experiment}, {@code start}, {@code end}, {@code duration}, {@code status}, {@code deviated},
 * {@code steady_states}, {@code run}, {@code rollbacks}) plus Satellite's ({@code seed}, {@code timeline},
 * {@code markers}, {@code membership}, {@code summary}).
 *
 * <p>Thread-safe: every method is synchronized (background activities and the safeguard add to it).
 */
public final class Journal {

  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String ABORTED = "aborted";
  public static final String INTERRUPTED = "interrupted";

  private final Experiment experiment;
  private final Instant start;
  private final long seed;
  private Instant end;
  private String status;
  private boolean deviated;
  private SteadyState before;
  private SteadyState after;
  private final List<SteadyState> during = new ArrayList<>();
  private final List<ActivityResult> run = new ArrayList<>();
  private final List<ActivityResult> rollbacks = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();
  private JsonArray timeline = new JsonArray();
  private JsonArray membership = new JsonArray();
  private JsonObject load;
  private final List<String> notes = new ArrayList<>();

  public Journal(Experiment experiment, Instant start, long seed) {
    this.experiment = experiment;
    this.start = start;
    this.seed = seed;
  }

  public Instant start() {
    return start;
  }

  public synchronized String status() {
    return status;
  }

  /** Sets the status unless an interruption or abort already decided it. */
  public synchronized void status(String s) {
    if (!INTERRUPTED.equals(status) && !ABORTED.equals(status)) {
      status = s;
    }
  }

  public synchronized boolean stopped() {
    return INTERRUPTED.equals(status) || ABORTED.equals(status);
  }

  public synchronized boolean deviated() {
    return deviated;
  }

  public synchronized void deviated(boolean d) {
    deviated = d;
  }

  public synchronized SteadyState before() {
    return before;
  }

  public synchronized void before(SteadyState s) {
    before = s;
  }

  public synchronized void after(SteadyState s) {
    after = s;
  }

  public synchronized void during(SteadyState s) {
    during.add(s);
  }

  public synchronized void run(ActivityResult r, Marker m) {
    run.add(r);
    markers.add(m);
  }

  public synchronized void rollback(ActivityResult r) {
    rollbacks.add(r);
  }

  public synchronized List<ActivityResult> rollbacks() {
    return List.copyOf(rollbacks);
  }

  public synchronized void timeline(JsonArray t) {
    timeline = t == null ? new JsonArray() : t;
  }

  public synchronized void membership(JsonArray m) {
    membership = m == null ? new JsonArray() : m;
  }

  public synchronized void load(JsonObject total) {
    load = total;
  }

  /** A line about the run itself (a cluster that did not start …), kept under {@code satellite_notes}. */
  public synchronized void note(String n) {
    notes.add(n);
  }

  public synchronized void end(Instant e) {
    end = e;
  }

  /** passed, deviated, failed or aborted. */
  public synchronized String verdict() {
    if (INTERRUPTED.equals(status) || ABORTED.equals(status)) {
      return "aborted";
    }
    if (deviated) {
      return "deviated";
    }
    if (FAILED.equals(status) || before != null && !before.met()) {
      return "failed";
    }
    return "passed";
  }

  public synchronized JsonObject toJson() {
    Instant e = end == null ? Instant.now() : end;
    JsonArray runs = new JsonArray();
    run.stream().sorted(java.util.Comparator.comparing(ActivityResult::start)).forEach(r -> runs.add(r.toJson()));
    JsonArray rbs = new JsonArray();
    rollbacks.forEach(r -> rbs.add(r.toJson()));
    JsonArray dur = new JsonArray();
    during.forEach(s -> dur.add(s.toJson()));
    JsonArray ms = new JsonArray();
    markers.forEach(m -> ms.add(m.toJson()));
    JsonObject o = new JsonObject()
        .put("chaoslib-version", "satellite-" + dev.satellite.experiment.RunnerVersion.get())
        .put("platform", System.getProperty("os.name") + "-" + System.getProperty("os.version") + "-" + System.getProperty("os.arch"))
        .put("node", hostname())
        .put("experiment", Json.object(experiment.raw()))
        .put("start", start.toString())
        .put("end", e.toString())
        .put("duration", Marker.seconds(start, e))
        .put("status", status == null ? COMPLETED : status)
        .put("deviated", deviated)
        .put("steady_states", new JsonObject()
            .put("before", before == null ? null : before.toJson())
            .put("after", after == null ? null : after.toJson())
            .put("during", dur))
        .put("run", runs)
        .put("rollbacks", rbs)
        .put("seed", seed)
        .put("timeline", timeline)
        .put("markers", ms)
        .put("membership", membership)
        .put("summary", new JsonObject().put("verdict", verdict()).put("load", load));
    if (!notes.isEmpty()) {
      o.put("satellite_notes", new JsonArray(List.copyOf(notes)));
    }
    return o;
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException ex) {
      return "localhost";
    }
  }
}
