package dev.satellite.edge.breaker;

import dev.satellite.config.RouteSpec;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A circuit breaker on one target: vertx-circuit-breaker's state machine, with what it cannot do itself done
 * around it.
 *
 * <p><b>Whose part is whose.</b>
 * <ul>
 *   <li><em>Closed</em> — Satellite's: calls go straight to the target and report how they went; failures are
 *       counted on the injected clock ({@link FailureWindow}: {@code maxFailures} within {@code window}, a success
 *       starts the count again). While closed a call costs one volatile read. (vertx-circuit-breaker would count
 *       on the wall clock, at several microseconds a call.)</li>
 *   <li><em>Opening</em> — vertx-circuit-breaker's {@code open()}, always called on the node's own context, never
 *       on a caller's: a caller may be an actor instance about to be undeployed, and Vert.x cancels the timers of
 *       an undeployed verticle.</li>
 *   <li><em>How long it stays open</em> — Satellite's, on the injected clock: {@code resetTimeout}, doubled each
 *       time it opens again in a row, up to {@code maxResetTimeout} ({@link OpenWait}). Until then calls are
 *       refused without touching anything. The transition is computed when a call arrives, so it depends on no
 *       timer and on the life of no actor instance. (vertx-circuit-breaker's own wait is fixed and runs on a
 *       Vert.x timer; it is set to its shortest, so by the time Satellite's wait is over it is ready to probe.)</li>
 *   <li><em>Half-open</em> — vertx-circuit-breaker's: it lets exactly one call through, and that probe's verdict
 *       closes the breaker ({@code reset()}) or opens it again. Probes run on the node's context too.</li>
 *   <li><em>State changes</em> — vertx-circuit-breaker's open and close handlers drive Satellite's view of the
 *       state and the {@link BreakerListener}.</li>
 * </ul>
 *
 * <p>Thread-safe: every event loop calls it; the state it reads on each call is volatile.
 */
public final class Breaker {

  /** vertx-circuit-breaker's own open → half-open timer: the shortest Vert.x allows (the real wait is ours). */
  static final long VERTX_RESET_TIMEOUT_MS = 1;

  private final CircuitBreaker cb;
  private final Context home;
  private final FailureWindow failures;
  private final OpenWait wait;
  private final LongSupplier nanos;
  private final BreakerListener listener;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicBoolean probeReported = new AtomicBoolean();
  private volatile boolean closed = true;
  /** While not closed: when (injected clock, nanoseconds) the open wait ends and a probe may go through. */
  private volatile long openUntil;
  /** Openings in a row without a successful probe. */
  private volatile int openings;
  /** Satellite tripped the breaker and vertx-circuit-breaker has not opened yet (guarded by {@code this}). */
  private boolean tripping;

  /**
   * @param home  a context the node owns (never undeployed): vertx-circuit-breaker's timer and probes run there
   * @param nanos the injected clock
   */
  public Breaker(String name, RouteSpec.Breaker spec, Vertx vertx, Context home, LongSupplier nanos,
      BreakerListener listener) {
    this.home = home;
    this.nanos = nanos;
    this.listener = listener;
    this.failures = new FailureWindow(spec.maxFailures(), spec.window().toNanos(), nanos);
    this.wait = new OpenWait(spec.resetTimeout(), spec.maxResetTimeout());
    this.cb = CircuitBreaker.create(name, vertx, new CircuitBreakerOptions()
        .setMaxFailures(1)
        .setResetTimeout(VERTX_RESET_TIMEOUT_MS)
        .setTimeout(-1) // deadlines are the caller's: a breaker timeout would not cancel the call anyway
        .setMaxRetries(0)
        .setNotificationAddress(null)); // no per-call publishing on the bus: state changes are reported here
    cb.openHandler(v -> opened()).closeHandler(v -> reset());
  }

  /**
   * vertx-circuit-breaker opened: after Satellite's trip (whose wait started when the last failure was counted), or
   * after a failed probe (the wait of this opening starts now).
   */
  private void opened() {
    long w;
    synchronized (this) {
      int n = openings + 1;
      openings = n;
      w = wait.nanos(n);
      if (tripping) {
        tripping = false;
      } else {
        openUntil = nanos.getAsLong() + w;
      }
      closed = false;
    }
    probeReported.set(false);
    listener.changed(BreakerState.OPEN, w);
  }

  /** vertx-circuit-breaker closed after a successful probe. */
  private void reset() {
    synchronized (this) {
      openings = 0;
      failures.clear();
      closed = true;
    }
    listener.changed(BreakerState.CLOSED, 0);
  }

  /** Whether calls go straight to the target (then report with {@link #succeeded()} / {@link #failed()}). */
  public boolean closed() {
    return closed;
  }

  /** Whether a call now is refused without touching the target: open, and the open wait is not over. */
  public boolean refusing() {
    return !closed && nanos.getAsLong() - openUntil < 0;
  }

  public BreakerState state() {
    return closed ? BreakerState.CLOSED : refusing() ? BreakerState.OPEN : BreakerState.HALF_OPEN;
  }

  /** A call made while closed succeeded: the failure count starts again from zero. */
  public void succeeded() {
    if (closed) {
      failures.succeeded();
    }
  }

  /**
   * A call made while closed failed: counted, and the breaker opens at once when there are {@code maxFailures}
   * within the window. A failure that arrives after the breaker left the closed state is not counted: the probe
   * decides what happens next.
   */
  public void failed() {
    if (closed && failures.failed()) {
      trip();
    }
  }

  /** Reports a closed-state call by its verdict. */
  public void report(Verdict verdict) {
    if (verdict == Verdict.FAILURE) {
      failed();
    } else if (verdict == Verdict.SUCCESS) {
      succeeded();
    }
  }

  private void trip() {
    synchronized (this) { // loops that see the last failures together open the breaker once
      if (!closed) {
        return;
      }
      openUntil = nanos.getAsLong() + wait.nanos(openings + 1); // refused from now on, for the whole wait
      closed = false;
      tripping = true;
    }
    home.runOnContext(v -> cb.open());
  }

  /** Counts a call refused without touching the target. */
  public void refused() {
    refused.incrementAndGet();
  }

  /** Whole seconds (at least 1) until the open wait is over: the {@code Retry-After} of a refusal. */
  public long retryAfterSeconds() {
    long left = openUntil - nanos.getAsLong();
    return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
  }

  /**
   * Runs a call while the breaker is not closed: vertx-circuit-breaker lets it through only as the half-open
   * probe (it fails with an {@code OpenCircuitException} otherwise, without running), and {@code judge} says what
   * its result proves. The caller gets the call's own result back, on its own context.
   */
  public <T> Future<T> probe(Supplier<Future<T>> call, Function<AsyncResult<T>, Verdict> judge) {
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    if (probeReported.compareAndSet(false, true)) {
      listener.changed(BreakerState.HALF_OPEN, 0);
    }
    home.runOnContext(v -> cb.<AsyncResult<T>>execute(() -> {
      Promise<AsyncResult<T>> outcome = Promise.promise();
      onContext(caller, () -> call.get().onComplete(ar -> outcome.complete(ar)));
      return outcome.future().compose(ar -> judge.apply(ar) == Verdict.SUCCESS
          ? Future.succeededFuture(ar) : Future.failedFuture(new ProbeFailed(ar)));
    }).onComplete(ar -> {
      AsyncResult<T> own;
      if (ar.succeeded()) {
        own = ar.result();
      } else if (ar.cause() instanceof ProbeFailed failed) {
        @SuppressWarnings("unchecked")
        AsyncResult<T> probed = (AsyncResult<T>) failed.result;
        own = probed;
      } else {
        own = Future.failedFuture(ar.cause());
      }
      onContext(caller, () -> result.handle(own));
    }));
    return result.future();
  }

  private static void onContext(Context context, Runnable work) {
    if (context == null || Vertx.currentContext() == context) {
      work.run();
    } else {
      context.runOnContext(v -> work.run());
    }
  }

  /** vertx-circuit-breaker's own state (for tests of the hand-over between the two). */
  CircuitBreakerState vertxState() {
    return cb.state();
  }

  /** Whether a failure is a breaker's refusal (the target was not touched). */
  public static boolean refusal(Throwable t) {
    return t instanceof OpenCircuitException;
  }

  /** Numbers for {@code /admin/edges}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("state", state().label()).put("failures", failures.recent())
        .put("refused", refused.get()).put("openings", openings);
    if (!closed) {
      json.put("openForMs", Math.max(0, (openUntil - nanos.getAsLong()) / 1_000_000));
    }
    return json;
  }

  /** A probe whose verdict was not a success: vertx-circuit-breaker opens again; its caller gets {@code result}. */
  private static final class ProbeFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient AsyncResult<?> result;

    ProbeFailed(AsyncResult<?> result) {
      super("the probe's verdict was not a success", null, false, false);
      this.result = result;
    }
  }
}
