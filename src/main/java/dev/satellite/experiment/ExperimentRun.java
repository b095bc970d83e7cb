package dev.satellite.experiment;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code chaos run}: one experiment from start to journal. In order: the seed ({@code --seed}, else the file's
 * {@code seed}, else random), the configuration, the local cluster (when {@code cluster} is set), the stats endpoint
 * and the load (when {@code load} is set, started before the hypothesis so it is measured under load), the phases
 * ({@link ExperimentRunner}), a wait for the load to finish before the hypothesis after, rollbacks — always — then
 * every node stopped, the journal written (also after an abort or an interruption) and the report. Exit code 0 when
 * the verdict is {@code passed}, 1 otherwise.
 *
 * <p>Thread-safe: {@link #run()} runs on the caller's thread; {@link #interrupt(String)} may come from a signal handler.
 */
public final class ExperimentRun {

  public static final int PASSED = 0;
  public static final int NOT_PASSED = 1;
  public static final String DEFAULT_JOURNAL = "journal.json";
  public static final String DEFAULT_REPORT = "chaos-report.html";

  /** What the command line adds to the experiment. Empty optionals take the defaults above. */
  public record Options(Optional<Path> journal, Optional<Path> report, Optional<Long> seed, Optional<Path> stateDir,
                        Optional<Path> jar, Path workDir, Map<String, String> env, Duration safeguardEvery,
                        LocalCluster.Options.Timeouts timeouts) {
  }

  private final Experiment experiment;
  private final Options options;
  private final Clock clock;
  private final Consumer<String> console;
  private volatile ExperimentRunner runner;
  private volatile Thread main;
  private volatile boolean interrupted;
  private volatile Journal journal;
  private volatile Path journalFile;

  public ExperimentRun(Experiment experiment, Options options, Clock clock, Consumer<String> console) {
    this.experiment = experiment;
    this.options = options;
    this.clock = clock;
    this.console = console;
  }

  /** Runs the experiment; throws only for a bad file (its configuration), before anything has started. */
  public int run() throws ExperimentException {
    main = Thread.currentThread();
    Instant start = clock.instant();
    long seed = options.seed().or(experiment::seed).orElseGet(() -> (long) new SecureRandom().nextInt(Integer.MAX_VALUE));
    Bindings base = ExperimentConfiguration.resolve(experiment, options.env());
    Journal j = new Journal(experiment, start, seed);
    journal = j;
    journalFile = options.journal().orElse(options.workDir().resolve(DEFAULT_JOURNAL));
    console.accept("experiment: " + experiment.title());
    console.accept("seed: " + seed);
    LocalCluster cluster = null;
    RunLoad load = null;
    StateDir state = null;
    try {
      state = new StateDir(options.stateDir().isPresent() ? options.stateDir().get()
          : Files.createTempDirectory("satellite-chaos-"));
      state.create();
      console.accept("state dir: " + state.path());
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("seed", seed);
      extra.put("state_dir", state.path().toString());
      Optional<Path> jar = options.jar().or(ExperimentRun::ownJar).map(Path::toAbsolutePath);
      jar.ifPresent(p -> extra.put("satellite_jar", p.toString()));
      load = RunLoad.open();
      extra.put("stats_url", load.statsUrl());
      extra.put("upstream_url", load.upstreamUrl());
      if (experiment.cluster().isPresent()) {
        // the nodes' settings may name what the runner provides (e.g. a proxy route to ${upstream_url})
        Bindings known = base.with(extra);
        ClusterSpec given = experiment.cluster().get();
        Map<String, String> set = new LinkedHashMap<>();
        given.set().forEach((k, v) -> set.put(k, String.valueOf(known.substitute(v))));
        ClusterSpec spec = new ClusterSpec(given.nodes(), given.config(), set);
        if (jar.isEmpty()) {
          throw new IOException("cannot start a cluster: no jar to start nodes from (give --jar)");
        }
        console.accept("cluster: starting " + spec.nodes() + " node(s)");
        cluster = LocalCluster.start(spec, new LocalCluster.Options(jar.get(),
            Path.of(System.getProperty("java.home"), "bin", "java"), state, options.workDir(),
            options.timeouts().ready(), options.timeouts().stopGrace()), clock, start, console);
        extra.putAll(cluster.configuration());
      }
      if (interrupted) {
        return finish(j, cluster, load);
      }
      Bindings bindings = base.with(extra);
      ActivityRunner activities = new ActivityRunner(experiment, bindings, new HttpProviderRunner(),
          new ProcessProviderRunner(Map.of(StateDir.ENV, state.path().toString())), clock, console);
      ExperimentRunner r = new ExperimentRunner(experiment, activities, j, console, options.safeguardEvery());
      runner = r;
      if (interrupted) {
        r.interrupt();
      }
      try {
        if (experiment.load().isPresent()) {
          List<URI> nodes = cluster == null ? List.of() : cluster.urls();
          LoadSpec given = experiment.load().get();
          console.accept("load: " + given.rate() + "/s for " + given.duration().toMillis() / 1000.0 + " s");
          LoadSpec spec = new LoadSpec(given.rate(), given.duration(),
              given.routes().stream().map(route -> String.valueOf(bindings.substitute(route))).toList(), given.connections(),
              given.timeout(), given.warmup());
          if (!spec.warmup().isZero()) {
            console.accept("load: warming up for " + spec.warmup().toMillis() / 1000.0 + " s (not counted)");
            load.warmUp(spec, nodes);
          }
          load.startLoad(spec, nodes, clock.instant());
        }
        RunLoad l = load;
        r.runUntilRollbacks(l::awaitFinished);
        load.stopLoad();
        r.rollbacks();
      } finally {
        r.close();
      }
    } catch (IOException e) {
      console.accept("run aborted: " + e.getMessage());
      j.note(e.getMessage());
      j.status(interrupted ? Journal.INTERRUPTED : Journal.ABORTED);
      Thread.interrupted();
      ExperimentRunner r = runner;
      if (r != null) {
        r.rollbacks();
      }
    } finally {
      Thread.interrupted();
    }
    return finish(j, cluster, load);
  }

  private int finish(Journal j, LocalCluster cluster, RunLoad load) {
    Thread.interrupted();
    if (load != null) {
      load.stopLoad();
      j.timeline(load.timeline(j.start()));
      j.load(load.total());
      // what a count of "io" or "connect" errors was, for the person reading the journal
      new TreeMap<>(load.firstFailures()).forEach((kind, chain) -> {
        String line = "load: the first '" + kind + "' failure: " + chain;
        console.accept(line);
        j.note(line);
      });
    }
    if (cluster != null) {
      console.accept("cluster: stopping");
      cluster.close();
      j.membership(cluster.membership());
    }
    if (load != null) {
      load.close();
    }
    j.end(clock.instant());
    JsonObject json = j.toJson();
    writeJournal(json);
    Path report = options.report().orElse(journalFile.toAbsolutePath().resolveSibling(DEFAULT_REPORT));
    try {
      RunLoad.writeReport(json, report);
      console.accept("report: " + report);
    } catch (IOException | RuntimeException e) {
      console.accept("report not written: " + e);
    }
    String verdict = j.verdict();
    console.accept("verdict: " + verdict + " (status " + json.getString("status") + ", deviated " + j.deviated()
        + ", " + String.format("%.1f", json.getDouble("duration")) + " s)");
    return "passed".equals(verdict) ? PASSED : NOT_PASSED;
  }

  private void writeJournal(JsonObject json) {
    try {
      Path f = journalFile.toAbsolutePath();
      if (f.getParent() != null) {
        Files.createDirectories(f.getParent());
      }
      StateDir.writeAtomically(f, json.encodePrettily());
      console.accept("journal: " + f);
    } catch (IOException e) {
      console.accept("journal not written: " + e);
    }
  }

  /** A signal: stop the method, run the rollbacks, stop the nodes, write the journal. */
  public void interrupt(String why) {
    interrupted = true;
    console.accept(why + ": interrupting the run (rollbacks follow)");
    Journal j = journal;
    if (j != null) {
      j.status(Journal.INTERRUPTED);
    }
    ExperimentRunner r = runner;
    if (r != null) {
      r.interrupt();
    } else if (main != null) {
      main.interrupt(); // cut a cluster start short
    }
  }

  /** Writes the journal as it is now (a second signal, just before halting). */
  public void writeJournalNow() {
    Journal j = journal;
    if (j != null) {
      j.end(clock.instant());
      writeJournal(j.toJson());
    }
  }

  /** The jar this code runs from, when it runs from a jar. */
  static Optional<Path> ownJar() {
    try {
      var src = ExperimentRun.class.getProtectionDomain().getCodeSource();
      if (src != null) {
        Path p = Path.of(src.getLocation().toURI());
        if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
          return Optional.of(p);
        }
      }
    } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
      // fall through
    }
    return Optional.ofNullable(System.getProperty("satellite.jar")).map(Path::of).filter(Files::isRegularFile);
  }
}
