package dev.satellite.experiment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The phases of a run, in Chaos Toolkit's order, recorded in a {@link Journal}: the steady-state hypothesis before
 * (when it is not met the method is skipped: status {@code completed}, or {@code failed} when a probe could not run);
 * the method, in order, background activities on their own threads and awaited at its end (a failed activity does not
 * stop it); with {@code safeguard: true} the hypothesis checked every {@code safeguardEvery} while the method runs and
 * until the load ends, and the first breach aborts the run at once (status {@code aborted}, deviated); the hypothesis after (not met:
 * deviated). Then {@link #rollbacks()} — which, unlike Chaos Toolkit's default strategy, always run: after a failure,
 * an abort and an interruption too.
 *
 * <p>Thread-safe: {@link #runUntilRollbacks} and {@link #rollbacks} run on the caller's thread, one after the other;
 * {@link #interrupt} may be called from any thread (a signal handler).
 */
public final class ExperimentRunner {

  /** How often the safeguard checks the hypothesis. */
  public static final Duration DEFAULT_SAFEGUARD_EVERY = Duration.ofSeconds(1);

  private final Experiment experiment;
  private final ActivityRunner activities;
  private final Journal journal;
  private final Consumer<String> console;
  private final Duration safeguardEvery;
  private final ExecutorService background;
  private final List<Future<?>> pending = new ArrayList<>();
  private volatile Thread main;
  private volatile boolean interruptible;

  public ExperimentRunner(Experiment experiment, ActivityRunner activities, Journal journal, Consumer<String> console,
      Duration safeguardEvery) {
    this.experiment = experiment;
    this.activities = activities;
    this.journal = journal;
    this.console = console;
    this.safeguardEvery = safeguardEvery;
    AtomicInteger n = new AtomicInteger();
    this.background = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "chaos-background-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Hypothesis before, method, {@code beforeHypothesisAfter} (the runner waits for its load there), hypothesis after.
   * Returns early when the run is interrupted or aborted.
   */
  public void runUntilRollbacks(Waiter beforeHypothesisAfter) {
    main = Thread.currentThread();
    interruptible = true;
    try {
      if (journal.stopped()) {
        return;
      }
      if (experiment.hypothesis().isPresent() && !experiment.hypothesis().get().probes().isEmpty()) {
        console.accept("steady-state hypothesis (before): " + experiment.hypothesis().get().title());
        SteadyState before = hypothesis("probe");
        journal.before(before);
        if (!before.met()) {
          journal.status(before.probeFailed() ? Journal.FAILED : Journal.COMPLETED);
          console.accept("steady state not met before the method: the method is skipped");
          return;
        }
      }
      if (journal.stopped()) {
        return;
      }
      Thread safeguard = experiment.safeguard() ? startSafeguard() : null;
      try {
        method();
        if (journal.stopped()) {
          return;
        }
        try {
          beforeHypothesisAfter.await();
        } catch (InterruptedException e) {
          return;
        }
      } finally {
        stop(safeguard);
      }
      if (journal.stopped()) {
        return;
      }
      if (experiment.hypothesis().isPresent() && !experiment.hypothesis().get().probes().isEmpty()) {
        console.accept("steady-state hypothesis (after): " + experiment.hypothesis().get().title());
        SteadyState after = hypothesis("probe");
        journal.after(after);
        if (!after.met()) {
          journal.deviated(true);
          journal.status(after.probeFailed() ? Journal.FAILED : Journal.COMPLETED);
          console.accept("steady state not met after the method: deviated");
          return;
        }
      }
      journal.status(Journal.COMPLETED);
    } finally {
      synchronized (this) {
        interruptible = false;
        Thread.interrupted(); // what follows (rollbacks, cleanup) must not inherit an interruption
      }
    }
  }

  /** Something to wait for between the method and the hypothesis after. */
  @FunctionalInterface
  public interface Waiter {
    void await() throws InterruptedException;
  }

  private void method() {
    console.accept("method");
    for (Activity given : experiment.method()) {
      if (journal.stopped() || Thread.currentThread().isInterrupted()) {
        break;
      }
      Activity a = activities.resolve(given);
      if (given.background()) {
        synchronized (pending) {
          pending.add(background.submit(() -> record(a, activities.run(a, a.type() + "*"))));
        }
      } else {
        record(a, activities.run(a, a.type()));
      }
    }
    awaitBackground();
  }

  private static void stop(Thread safeguard) {
    if (safeguard != null) {
      safeguard.interrupt();
      try {
        safeguard.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void record(Activity a, ActivityResult r) {
    journal.run(r, Marker.of(a, r, journal.start()));
  }

  private void awaitBackground() {
    List<Future<?>> all;
    synchronized (pending) {
      all = List.copyOf(pending);
    }
    for (Future<?> f : all) {
      try {
        while (true) {
          if (journal.stopped()) {
            f.cancel(true);
          }
          try {
            f.get(100, TimeUnit.MILLISECONDS);
            break;
          } catch (TimeoutException notYet) {
            // loop: look at the journal again
          }
        }
      } catch (CancellationException | ExecutionException e) {
        // cancelled by an abort, or the activity threw: its result (if any) is in the journal
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        all.forEach(x -> x.cancel(true));
        return;
      }
    }
  }

  private Thread startSafeguard() {
    Thread t = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(safeguardEvery.toMillis());
          SteadyState s = hypothesis(null);
          if (Thread.currentThread().isInterrupted()) {
            return;
          }
          journal.during(s);
          if (!s.met()) {
            ActivityResult last = s.probes().get(s.probes().size() - 1);
            console.accept("safeguard: '" + last.name() + "' left its tolerance: aborting the run");
            journal.deviated(true);
            journal.status(Journal.ABORTED);
            stopWork();
            return;
          }
        }
      } catch (InterruptedException e) {
        // the method ended
      }
    }, "chaos-safeguard");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Runs the hypothesis probes until the first failure or tolerance miss. */
  SteadyState hypothesis(String label) {
    List<ActivityResult> probes = new ArrayList<>();
    for (Activity given : experiment.hypothesis().get().probes()) {
      Activity p = activities.resolve(given);
      ActivityResult r = activities.run(p, label);
      if (!r.succeeded()) {
        probes.add(r.withToleranceMet(false));
        return new SteadyState(false, probes);
      }
      boolean met;
      try {
        met = ToleranceCheck.accepts(tolerance(given, p), r.output(), activities.bindings(), activities::call);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        met = false;
      } catch (RuntimeException e) {
        met = false;
      }
      probes.add(r.withToleranceMet(met));
      if (!met) {
        if (label != null) {
          console.accept("    tolerance not met by " + p.name() + ": " + brief(r.output()));
        }
        return new SteadyState(false, probes);
      }
    }
    return new SteadyState(true, probes);
  }

  /** How long {@link #brief} lets a probe's output run on the console. */
  static final int BRIEF_CHARS = 240;

  /**
   * A probe's output on one console line, so a missed tolerance says what was seen: an HTTP probe's status and body,
   * a process's exit code and output, anything else as JSON; cut at {@link #BRIEF_CHARS} characters.
   */
  static String brief(Object output) {
    String text;
    if (output instanceof Map<?, ?> m && m.containsKey("status") && m.containsKey("body")) {
      text = "status " + m.get("status") + ", body " + asText(m.get("body"));
    } else if (output instanceof Map<?, ?> m && m.containsKey("status") && m.containsKey("stdout")) {
      String err = asText(m.get("stderr"));
      text = "exit " + m.get("status") + ", stdout " + asText(m.get("stdout")) + (err.isBlank() ? "" : ", stderr " + err);
    } else {
      text = asText(output);
    }
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= BRIEF_CHARS ? line : line.substring(0, BRIEF_CHARS) + "…";
  }

  private static String asText(Object v) {
    if (v instanceof String str) {
      return str;
    }
    Object json = Json.toVertx(v);
    return json instanceof JsonObject o ? o.encode() : json instanceof JsonArray a ? a.encode() : String.valueOf(json);
  }

  private static Tolerance tolerance(Activity given, Activity resolved) {
    return given.tolerance() != null ? given.tolerance() : resolved.tolerance();
  }

  /** Rollbacks, in order (background ones awaited at the end); never interrupted by a first signal. */
  public void rollbacks() {
    if (experiment.rollbacks().isEmpty()) {
      return;
    }
    console.accept("rollbacks");
    List<Future<?>> bg = new ArrayList<>();
    for (Activity given : experiment.rollbacks()) {
      Activity a = activities.resolve(given);
      if (given.background()) {
        bg.add(background.submit(() -> journal.rollback(activities.run(a, "rollback*"))));
      } else {
        journal.rollback(activities.run(a, "rollback"));
      }
    }
    for (Future<?> f : bg) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        // recorded as a failed rollback by the activity runner
      }
    }
  }

  /** A signal: the run stops (status interrupted) and goes on to its rollbacks. */
  public void interrupt() {
    journal.status(Journal.INTERRUPTED);
    stopWork();
  }

  private synchronized void stopWork() {
    if (!interruptible) {
      return;
    }
    Thread m = main;
    if (m != null) {
      m.interrupt();
    }
    synchronized (pending) {
      pending.forEach(f -> f.cancel(true));
    }
  }

  /** Stops the background threads (after the rollbacks). */
  public void close() {
    background.shutdownNow();
  }
}
