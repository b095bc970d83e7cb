package dev.satellite.experiment;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one activity as Chaos Toolkit's {@code execute_activity} does: a {@code ref} is replaced by the activity of
 * that name, the pause before is slept, the provider runs with the bindings substituted, the result is recorded with
 * start and end from the injected clock, and the pause after is slept. A provider failure ({@link ActivityFailed})
 * makes a {@code failed} result, never an exception. When the calling thread is interrupted (the run was
 * interrupted or aborted) the activity ends at once, failed with the exception {@code interrupted}, and the thread's
 * interrupt flag is set again for the caller to see.
 *
 * <p>Thread-safe: background activities call it from their own threads; each call blocks its thread.
 */
public final class ActivityRunner {

  private final Map<String, Activity> byName = new HashMap<>();
  private final Bindings bindings;
  private final HttpProviderRunner http;
  private final ProcessProviderRunner process;
  private final Clock clock;
  private final Consumer<String> console;

  public ActivityRunner(Experiment experiment, Bindings bindings, HttpProviderRunner http, ProcessProviderRunner process,
      Clock clock, Consumer<String> console) {
    experiment.hypothesis().ifPresent(h -> h.probes().forEach(this::index));
    experiment.method().forEach(this::index);
    experiment.rollbacks().forEach(this::index);
    this.bindings = bindings;
    this.http = http;
    this.process = process;
    this.clock = clock;
    this.console = console;
  }

  private void index(Activity a) {
    if (!a.isRef()) {
      byName.putIfAbsent(a.name(), a);
    }
  }

  public Bindings bindings() {
    return bindings;
  }

  /** The activity a {@code ref} names, or the activity itself. */
  public Activity resolve(Activity a) {
    if (!a.isRef()) {
      return a;
    }
    Activity target = byName.get(a.ref());
    if (target == null) {
      throw new IllegalStateException("no activity named " + a.ref());
    }
    return target;
  }

  /**
   * Runs the activity with its pauses; {@code label} prefixes the console line ("probe", "action", "rollback" …),
   * null for no line.
   */
  public ActivityResult run(Activity given, String label) {
    Activity a = resolve(given);
    boolean interrupted = false;
    try {
      pause(a.pauses().before());
    } catch (InterruptedException e) {
      interrupted = true;
    }
    Instant start = clock.instant();
    Object output = null;
    boolean ok = false;
    List<String> exception = List.of();
    if (interrupted) {
      exception = List.of("interrupted");
    } else {
      try {
        output = call(a);
        ok = true;
      } catch (ActivityFailed e) {
        exception = List.of("ActivityFailed: " + e.getMessage());
      } catch (InterruptedException e) {
        interrupted = true;
        exception = List.of("interrupted");
      } catch (RuntimeException e) {
        exception = List.of(e.toString());
      }
    }
    Instant end = clock.instant();
    ActivityResult result = new ActivityResult(a.raw(), output, ok, start, end, exception, null);
    if (label != null) {
      console.accept(String.format("  %-8s %-40s %-9s %6.2fs%s", label, a.name(), ok ? "succeeded" : "FAILED",
        result.duration().toNanos() / 1e9, ok ? "" : "  " + String.join(" ", exception)));
    }
    if (!interrupted) {
      try {
        pause(a.pauses().after());
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return result;
  }

  /** The provider's output, without pauses or recording (probe tolerances use it too). */
  public Object call(Activity given) throws ActivityFailed, InterruptedException {
    Activity a = resolve(given);
    if (a.provider() instanceof Provider.Http h) {
      return http.run(h, bindings);
    }
    if (a.provider() instanceof Provider.Process p) {
      return process.run(p, bindings);
    }
    throw new ActivityFailed("unsupported provider " + a.provider());
  }

  private void pause(Object seconds) throws InterruptedException {
    Object v = bindings.substitute(seconds);
    double s = v instanceof Number n ? n.doubleValue() : v instanceof String str ? parse(str) : 0;
    if (s > 0) {
      Thread.sleep((long) (s * 1000));
    }
  }

  private static double parse(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
