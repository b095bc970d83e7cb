package dev.satellite.supervision;

import dev.satellite.actor.Actor;
import dev.satellite.actor.ActorLink;
import dev.satellite.actor.ActorBinding;
import dev.satellite.actor.Crash;
import dev.satellite.actor.CrashKind;
import dev.satellite.config.ChildSpec;
import dev.satellite.config.Durations;
import dev.satellite.config.SupervisorSpec;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A supervisor: a verticle that deploys its children from their specs — each instance its own deployment — and
 * never repairs a crashed one. It throws the instance away and deploys a fresh object (immediately the first time,
 * after a growing backoff when the same child keeps crashing), restarting also the siblings its strategy names,
 * in declared order ({@link Restart}). More counted crashes than {@code maxRestarts} within {@code period} and it
 * gives up: it stops its children and reports itself crashed to its parent, or — at the root — ends the process
 * through {@link CrashExit}.
 *
 * <p>Which crashes count towards giving up: every crash, as in OTP, except two. A {@code temporary} child's crash
 * is not a restart at all (it stays stopped, and counts for nothing). A {@link CrashKind#POISON} crash — a handler
 * that threw on a request that came through a circuit breaker — replaces the instance but is not counted: the
 * breaker in front contains a loop of such requests, so no sequence of client requests can make a supervisor give
 * up. Crashes that say the instance itself is broken (a failed or hung start, an exception outside a request, a
 * hang, an explicit crash, an escalation) always count.
 *
 * <p>Crashes reach it as signals over each instance's {@link ActorLink}; hung instances are found by
 * {@link Liveness} pings. Decisions read the injected clock; Vert.x timers only trigger them. Replacing an instance
 * never waits for the old one's {@code stop()}. Before it is undeployed, a supervisor is {@linkplain #quiesce()
 * quiesced}: it stops restarting and takes its children down in reverse start order, each bounded by its stop
 * timeout.
 *
 * <p>Event-loop confined: all state is touched only on the supervisor's own context.
 */
public final class Supervisor extends VerticleBase implements Restart.Deployer {

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
  /** Node-wide source of generations and supervisor tokens: unique, and growing over time. */
  private static final AtomicLong TOKENS = new AtomicLong();

  private final SupervisorSpec spec;
  private final String path;
  private final Supervision supervision;
  private final ActorLink parent;
  private final long token = TOKENS.incrementAndGet();
  private final List<Child> children = new ArrayList<>();
  private RestartIntensity intensity;
  private Liveness liveness;
  private Promise<Void> startPromise;
  private Future<Void> quiesced;
  private boolean started;
  private boolean gaveUp;
  private boolean stopping;

  private Supervisor(SupervisorSpec spec, String path, Supervision supervision, ActorLink parent) {
    this.spec = spec;
    this.path = path;
    this.supervision = supervision;
    this.parent = parent;
  }

  /** The root of a tree: when it gives up, the process ends through {@link Supervision#exit()}. */
  public static Supervisor root(SupervisorSpec spec, Supervision supervision) {
    return new Supervisor(spec, spec.id(), supervision, null);
  }

  /** Where this supervisor sits in the tree: {@code root}, {@code root/services}. */
  public String path() {
    return path;
  }

  @Override
  public Future<?> start() {
    context.exceptionHandler(t -> {
      LOG.error("supervisor {} failed", path, t);
      if (!gaveUp && !stopping) {
        giveUp("the supervisor itself failed: " + t);
      }
    });
    intensity = new RestartIntensity(spec.maxRestarts(), spec.period());
    for (ChildSpec cs : spec.children()) {
      children.add(new Child(children.size(), cs, new RestartBackoff(spec.backoff(), supervision.random()),
          supervision.tree().aliveCounter(path, cs.id()), supervision.registry()));
    }
    startPromise = Promise.promise();
    startChild(0);
    liveness = new Liveness(vertx, spec.liveness(), (slot, reason) ->
        onCrash(slot, slot.generation, Crash.of(CrashKind.UNRESPONSIVE, reason)));
    liveness.start(children);
    snapshot();
    return startPromise.future();
  }

  /** Starts children one after the other, in order; all instances of one child start together. */
  private void startChild(int i) {
    if (halted()) {
      return;
    }
    if (i == children.size()) {
      started = true;
      snapshot();
      startPromise.tryComplete();
      return;
    }
    List<Future<Void>> instances = new ArrayList<>();
    for (Slot slot : children.get(i).slots) {
      instances.add(deploy(slot, null));
    }
    Future.all(instances).onSuccess(v -> startChild(i + 1));
  }

  /**
   * Stops restarting and takes every child down, in reverse start order, each bounded by its stop timeout (a
   * nested supervisor is quiesced first). Call before undeploying the supervisor: Vert.x would otherwise undeploy
   * the children without a bound while this supervisor still restarts them. Idempotent; may be called from any
   * thread.
   */
  public Future<Void> quiesce() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (quiesced == null) {
        quiesced = stopAll();
      }
      quiesced.onComplete(done);
    });
    return done.future();
  }

  private Future<Void> stopAll() {
    stopping = true;
    cancelTimers();
    Future<Void> chain = Future.succeededFuture();
    for (int i = children.size() - 1; i >= 0; i--) {
      List<Future<Void>> stops = new ArrayList<>();
      for (Slot slot : children.get(i).slots) {
        stops.add(takeDown(slot));
        slot.state = Slot.State.STOPPED;
      }
      chain = chain.eventually(() -> Future.join(stops).mapEmpty());
    }
    snapshot();
    return chain;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    cancelTimers();
    for (Child c : children) {
      for (Slot slot : c.slots) {
        if (slot.state == Slot.State.RUNNING) {
          c.alive.decrementAndGet();
        }
        slot.state = Slot.State.STOPPED;
      }
    }
    supervision.tree().remove(path, token);
    return Future.succeededFuture();
  }

  @Override
  public boolean halted() {
    return stopping || gaveUp;
  }

  // ---- deploying instances -------------------------------------------------------------------------

  /** Deploys a fresh object into the slot; the future completes once it is running (and never, if it fails). */
  @Override
  public Future<Void> deploy(Slot slot, String restartReason) {
    Promise<Void> running = Promise.promise();
    if (halted()) {
      slot.state = Slot.State.STOPPED;
      return running.future();
    }
    Child child = slot.child;
    long gen = TOKENS.incrementAndGet();
    slot.generation = gen;
    slot.state = Slot.State.STARTING;
    slot.restart = null;
    Deployable deployable;
    try {
      deployable = instantiate(slot, gen);
    } catch (Throwable t) {
      onCrash(slot, gen, Crash.of(CrashKind.START_FAILED, t));
      return running.future();
    }
    snapshot();
    Duration startTimeout = child.spec.startTimeout();
    long timer = vertx.setTimer(startTimeout.toMillis(), t -> onCrash(slot, gen,
        Crash.of(CrashKind.START_TIMEOUT, "start() did not finish within " + Durations.format(startTimeout))));
    vertx.deployVerticle(deployable).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (halted() || slot.generation != gen || slot.state != Slot.State.STARTING) {
        if (ar.succeeded()) {
          undeploy(ar.result(), child.spec.stopTimeout());
        }
        return;
      }
      if (ar.failed()) {
        onCrash(slot, gen, Crash.of(CrashKind.START_FAILED, ar.cause()));
        return;
      }
      slot.deploymentId = ar.result();
      slot.state = Slot.State.RUNNING;
      slot.missedPings = 0;
      slot.startedAt = supervision.clock().instant();
      child.alive.incrementAndGet();
      if (restartReason != null) {
        child.restarts++;
        supervision.events().publish(new SupervisionEvent.ActorRestarted(supervision.nodeId(), path, child.spec.id(),
            slot.index, gen, restartReason, child.backoff.last().toMillis(),
            (System.nanoTime() - slot.crashNanos) / 1e6, slot.startedAt));
      }
      snapshot();
      running.complete();
    });
    return running.future();
  }

  private Deployable instantiate(Slot slot, long gen) {
    ChildSpec cs = slot.child.spec;
    ActorLink link = linkTo(slot, gen);
    if (cs.isSupervisor()) {
      slot.actor = null;
      slot.nested = new Supervisor(cs.supervisor().orElseThrow(), path + "/" + cs.id(), supervision, link);
      return slot.nested;
    }
    Actor<?> actor = supervision.actors().apply(cs.actor().orElseThrow());
    slot.binding = new ActorBinding(cs.id(), cs.address(), slot.index, gen, supervision.nodeId(), cs.mailbox(),
        new JsonObject(cs.settings()).copy(), link, supervision.faults(), supervision.clock(), slot.child.meters,
        supervision.bus(), cs.stopTimeout());
    actor.bind(slot.binding);
    slot.nested = null;
    slot.actor = actor;
    return actor;
  }

  /** The instance's signal channel back here: every signal hops onto this supervisor's own event loop. */
  private ActorLink linkTo(Slot slot, long gen) {
    Context mine = context;
    return new ActorLink() {
      @Override
      public void crashed(Crash crash) {
        mine.runOnContext(v -> onCrash(slot, gen, crash));
      }

      @Override
      public void stopped() {
        mine.runOnContext(v -> onStopped(slot, gen));
      }
    };
  }

  // ---- crashes ---------------------------------------------------------------------------------------

  private void onCrash(Slot slot, long gen, Crash crash) {
    if (halted() || slot.generation != gen || !slot.inService()) {
      return; // stale signal: that instance was already replaced
    }
    Child child = slot.child;
    Instant now = supervision.clock().instant();
    Instant ranSince = slot.state == Slot.State.RUNNING ? slot.startedAt : null;
    retire(slot, crash.kind() == CrashKind.UNRESPONSIVE ? crash.reason() : null);
    slot.crashNanos = System.nanoTime();
    child.lastCrashReason = crash.toString();
    child.lastCrashAt = now;
    boolean counted = counts(child, crash);
    supervision.events().publish(new SupervisionEvent.ActorCrashed(supervision.nodeId(), path, child.spec.id(),
        slot.index, crash.kind().label(), crash.reason(), counted, now));

    if (!started) {
      failStart(child.spec.id() + "#" + slot.index + " failed to start: " + crash);
      return;
    }
    if (child.temporary()) {
      slot.state = Slot.State.STOPPED; // OTP: a temporary child is never restarted, and its end restarts no sibling
      snapshot();
      return;
    }
    if (counted && intensity.exceededAfterCrash(now)) {
      giveUp("child '" + child.spec.id() + "' " + crash);
      return;
    }
    restartAfter(slot, crash.kind().label(), child.backoff.onCrash(now, ranSince));
  }

  /** Whether a crash counts towards the restart intensity (see the class comment). */
  private static boolean counts(Child child, Crash crash) {
    return !child.temporary() && crash.kind() != CrashKind.POISON;
  }

  /** An instance stopped of its own accord: only {@code permanent} children come back (and it counts as a restart). */
  private void onStopped(Slot slot, long gen) {
    if (halted() || slot.generation != gen || slot.state != Slot.State.RUNNING) {
      return;
    }
    Child child = slot.child;
    retire(slot, null);
    slot.crashNanos = System.nanoTime();
    if (child.spec.restart() != ChildSpec.Restart.PERMANENT) {
      slot.state = Slot.State.STOPPED;
      snapshot();
      return;
    }
    Instant now = supervision.clock().instant();
    if (intensity.exceededAfterCrash(now)) {
      giveUp("child '" + child.spec.id() + "' keeps stopping");
      return;
    }
    restartAfter(slot, "normal_exit", child.backoff.onCrash(now, null));
  }

  /**
   * Restarts the crashed slot and, under {@code one_for_all} / {@code rest_for_one}, the siblings the strategy
   * names: those are taken down at once (in reverse start order), then everything starts again in declared order
   * after the delay. Temporary siblings are taken down and stay down; stopped ones stay stopped.
   */
  private void restartAfter(Slot crashed, String reason, Duration delay) {
    List<List<Slot>> steps = new ArrayList<>();
    if (RestartPlan.wholeChild(spec.strategy())) {
      List<Integer> order = RestartPlan.children(spec.strategy(), crashed.child.index, children.size());
      for (int k = order.size() - 1; k >= 0; k--) {
        for (Slot slot : children.get(order.get(k)).slots) {
          if (slot != crashed && (slot.inService() || slot.state == Slot.State.WAITING)) {
            retire(slot, null);
            slot.crashNanos = crashed.crashNanos;
            if (slot.child.temporary()) {
              slot.state = Slot.State.STOPPED;
            }
          }
        }
      }
      for (int ci : order) {
        List<Slot> step = new ArrayList<>();
        for (Slot slot : children.get(ci).slots) {
          if (slot.state == Slot.State.WAITING) {
            step.add(slot);
          }
        }
        steps.add(step);
      }
    } else {
      steps.add(new ArrayList<>(List.of(crashed)));
    }
    new Restart(vertx, this, steps, crashed, reason).begin(delay);
    snapshot();
  }

  /**
   * Takes an instance out of service without waiting for it: it stops counting as alive, a hung actor is evicted
   * (stops listening, fails what it holds), and the old deployment goes down in the background.
   */
  private void retire(Slot slot, String evictReason) {
    Actor<?> actor = slot.actor;
    if (actor != null && evictReason != null) {
      actor.evict(evictReason);
    }
    takeDown(slot);
    slot.generation = TOKENS.incrementAndGet(); // any late signal or deployment of the old object is now stale
    slot.state = Slot.State.WAITING;
  }

  /** Stops counting the instance and undeploys its object (a nested supervisor is quiesced first). */
  private Future<Void> takeDown(Slot slot) {
    if (slot.state == Slot.State.RUNNING) {
      slot.child.alive.decrementAndGet();
    }
    slot.pinging = false;
    String deployment = slot.deploymentId;
    Supervisor nested = slot.nested;
    slot.actor = null;
    slot.nested = null;
    slot.deploymentId = null;
    if (deployment == null) {
      return Future.succeededFuture();
    }
    Duration stopTimeout = slot.child.spec.stopTimeout();
    if (nested != null) {
      return nested.quiesce().timeout(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .eventually(() -> undeploy(deployment, stopTimeout)).recover(t -> Future.succeededFuture());
    }
    return undeploy(deployment, stopTimeout);
  }

  private Future<Void> undeploy(String deploymentId, Duration stopTimeout) {
    return vertx.undeploy(deploymentId).timeout(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(t -> {
          LOG.warn("supervisor {}: undeploying {} did not finish cleanly within {}: {}", path, deploymentId,
              Durations.format(stopTimeout), t.toString());
          return Future.succeededFuture();
        });
  }

  private void failStart(String reason) {
    if (startPromise.future().isComplete()) {
      return;
    }
    stopping = true;
    cancelTimers();
    for (Child c : children) {
      for (Slot slot : c.slots) {
        takeDown(slot);
        slot.state = Slot.State.STOPPED;
      }
    }
    supervision.tree().remove(path, token); // a failed start is not followed by stop()
    startPromise.fail(new IllegalStateException("supervisor '" + path + "': " + reason));
  }

  private void giveUp(String reason) {
    gaveUp = true;
    cancelTimers();
    for (Child c : children) {
      for (Slot slot : c.slots) {
        takeDown(slot);
        slot.state = Slot.State.STOPPED;
      }
    }
    Instant now = supervision.clock().instant();
    int crashes = intensity.recent(now);
    String period = Durations.format(spec.period());
    supervision.events().publish(new SupervisionEvent.SupervisorGaveUp(supervision.nodeId(), path, crashes, period, reason, now));
    snapshot();
    String chain = "supervisor '" + path + "' gave up after " + crashes + " crashes in " + period + ": " + reason;
    if (parent != null) {
      parent.crashed(Crash.of(CrashKind.ESCALATED, chain));
    } else {
      supervision.exit().exit(CrashExit.CODE, chain);
    }
  }

  private void cancelTimers() {
    if (liveness != null) {
      liveness.stop();
    }
    for (Child c : children) {
      for (Slot slot : c.slots) {
        if (slot.restart != null) {
          slot.restart.cancel();
          slot.restart = null;
        }
      }
    }
  }

  // ---- visibility ------------------------------------------------------------------------------------

  private void snapshot() {
    JsonArray kids = new JsonArray();
    children.forEach(c -> kids.add(c.toJson()));
    JsonObject snapshot = new JsonObject()
        .put("id", spec.id())
        .put("path", path)
        .put("state", gaveUp ? "gave_up" : stopping ? "stopping" : started ? "running" : "starting")
        .put("strategy", spec.strategy().label())
        .put("maxRestarts", spec.maxRestarts())
        .put("period", Durations.format(spec.period()))
        .put("recentCrashes", intensity == null ? 0 : intensity.recent(supervision.clock().instant()))
        .put("children", kids);
    supervision.tree().publish(path, token, snapshot);
  }
}
