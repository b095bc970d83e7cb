package dev.satellite.supervision;

import dev.satellite.actor.Actor;
import dev.satellite.actor.ActorBinding;
import dev.satellite.actor.ActorLink;
import dev.satellite.actor.ActorMeters;
import dev.satellite.actor.Crash;
import dev.satellite.actor.CrashKind;
import dev.satellite.config.ChildSpec;
import dev.satellite.config.Durations;
import dev.satellite.config.SupervisorSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A supervisor: a verticle that deploys its children from their specs — each instance its own deployment —
 * and never repairs a crashed one. It throws the instance away and deploys a fresh object (immediately the
 * first time, after a growing backoff when the same child keeps crashing), restarting also the siblings
 * its strategy names. More crashes than {@code maxRestarts} within {@code period} and it gives up: it stops
 * its children and reports itself crashed to its parent, or — at the root — ends the process through
 * {@link CrashExit}.
 *
 * <p>Crashes reach it as signals over each instance's {@link ActorLink}; hung instances are found by
 * pinging each one on a private node-local address. Decisions read the injected clock; Vert.x timers
 * only trigger them. Replacing an instance never waits for the old one's {@code stop()}. Before it is
 * undeployed, a supervisor is {@linkplain #quiesce() quiesced}: it stops restarting and takes its children
 * down in reverse start order, each bounded by its stop timeout.
 *
 * <p>Event-loop confined: all state is touched only on the supervisor's own context.
 */
public final class Supervisor extends VerticleBase {

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
  private Promise<Void> startPromise;
  private Future<Void> quiesced;
  private boolean started;
  private boolean gaveUp;
  private boolean stopping;
  private long livenessTimer = -1;

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
    SupervisorSpec.Liveness liveness = spec.liveness();
    if (liveness.enabled() && children.stream().anyMatch(c -> !c.spec.isSupervisor())) {
      livenessTimer = vertx.setPeriodic(liveness.interval().toMillis(), t -> pingAll());
    }
    snapshot();
    return startPromise.future();
  }

  /** Starts children one after the other, in order; all instances of one child start together. */
  private void startChild(int i) {
    if (stopping || gaveUp) {
      return;
    }
    if (i == children.size()) {
      started = true;
      snapshot();
      startPromise.tryComplete();
      return;
    }
    List<Future<Void>> instances = new ArrayList<>();
    for (Instance inst : children.get(i).instances) {
      instances.add(deploy(inst, null));
    }
    Future.all(instances).onSuccess(v -> startChild(i + 1));
  }

  /**
   * Stops restarting and takes every child down, in reverse start order, each bounded by its stop timeout
   * (a nested supervisor is quiesced first). Call before undeploying the supervisor: Vert.x would otherwise
   * undeploy the children without a bound while this supervisor still restarts them. Idempotent; may be
   * called from any thread.
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
      for (Instance inst : children.get(i).instances) {
        stops.add(takeDown(inst));
        inst.state = State.STOPPED;
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
      for (Instance inst : c.instances) {
        if (inst.state == State.RUNNING) {
          c.alive.decrementAndGet();
        }
        inst.state = State.STOPPED;
      }
    }
    supervision.tree().remove(path, token);
    return Future.succeededFuture();
  }

  // ---- deploying instances -------------------------------------------------------------------------

  /** Deploys a fresh object into the instance slot; the future completes once it is running. */
  private Future<Void> deploy(Instance inst, String restartReason) {
    Promise<Void> running = Promise.promise();
    if (stopping || gaveUp) {
      inst.state = State.STOPPED;
      return running.future();
    }
    Child child = inst.child;
    long gen = TOKENS.incrementAndGet();
    inst.generation = gen;
    inst.state = State.STARTING;
    Deployable deployable;
    try {
      deployable = instantiate(inst, gen);
    } catch (Throwable t) {
      onCrash(inst, gen, Crash.of(CrashKind.START_FAILED, t));
      return running.future();
    }
    snapshot();
    Duration startTimeout = child.spec.startTimeout();
    long timer = vertx.setTimer(startTimeout.toMillis(), t -> onCrash(inst, gen,
        Crash.of(CrashKind.START_TIMEOUT, "start() did not finish within " + Durations.format(startTimeout))));
    vertx.deployVerticle(deployable).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (stopping || gaveUp || inst.generation != gen || inst.state != State.STARTING) {
        if (ar.succeeded()) {
          undeploy(ar.result(), child.spec.stopTimeout());
        }
        return;
      }
      if (ar.failed()) {
        onCrash(inst, gen, Crash.of(CrashKind.START_FAILED, ar.cause()));
        return;
      }
      inst.deploymentId = ar.result();
      inst.state = State.RUNNING;
      inst.missedPings = 0;
      inst.startedAt = supervision.clock().instant();
      child.alive.incrementAndGet();
      if (restartReason != null) {
        child.restarts++;
        supervision.events().publish(new SupervisionEvent.ActorRestarted(supervision.nodeId(), path, child.spec.id(),
            inst.index, gen, restartReason, child.backoff.last().toMillis(),
            (System.nanoTime() - inst.crashNanos) / 1e6, inst.startedAt));
      }
      snapshot();
      running.complete();
    });
    return running.future();
  }

  private Deployable instantiate(Instance inst, long gen) {
    ChildSpec cs = inst.child.spec;
    ActorLink link = linkTo(inst, gen);
    if (cs.isSupervisor()) {
      inst.actor = null;
      inst.nested = new Supervisor(cs.supervisor().orElseThrow(), path + "/" + cs.id(), supervision, link);
      return inst.nested;
    }
    Actor<?> actor = supervision.actors().apply(cs.actor().orElseThrow());
    inst.binding = new ActorBinding(cs.id(), cs.address(), inst.index, gen, supervision.nodeId(), cs.mailbox(),
        new JsonObject(cs.settings()).copy(), link, supervision.faults(), supervision.clock(), inst.child.meters,
        supervision.bus(), cs.stopTimeout());
    actor.bind(inst.binding);
    inst.nested = null;
    inst.actor = actor;
    return actor;
  }

  /** The instance's signal channel back here: every signal hops onto this supervisor's own event loop. */
  private ActorLink linkTo(Instance inst, long gen) {
    Context mine = context;
    return new ActorLink() {
      @Override
      public void crashed(Crash crash) {
        mine.runOnContext(v -> onCrash(inst, gen, crash));
      }

      @Override
      public void stopped() {
        mine.runOnContext(v -> onStopped(inst, gen));
      }
    };
  }

  // ---- crashes ---------------------------------------------------------------------------------------

  private void onCrash(Instance inst, long gen, Crash crash) {
    if (stopping || gaveUp || inst.generation != gen || !(inst.state == State.STARTING || inst.state == State.RUNNING)) {
      return; // stale signal: that instance was already replaced
    }
    Child child = inst.child;
    Instant now = supervision.clock().instant();
    long crashNanos = System.nanoTime();
    Instant ranSince = inst.state == State.RUNNING ? inst.startedAt : null;
    retire(inst, crash.kind() == CrashKind.UNRESPONSIVE ? crash.reason() : null);
    child.lastCrashReason = crash.toString();
    child.lastCrashAt = now;
    supervision.events().publish(new SupervisionEvent.ActorCrashed(supervision.nodeId(), path, child.spec.id(),
        inst.index, crash.kind().label(), crash.reason(), now));

    if (!started) {
      failStart(child.spec.id() + "#" + inst.index + " failed to start: " + crash);
      return;
    }
    if (intensity.exceededAfterCrash(now)) {
      giveUp("child '" + child.spec.id() + "' " + crash);
      return;
    }
    Duration delay = child.backoff.onCrash(now, ranSince);
    restartAfterCrash(inst, crash.kind().label(), delay, crashNanos);
  }

  /** An instance stopped of its own accord: only {@code permanent} children come back (and it counts as a restart). */
  private void onStopped(Instance inst, long gen) {
    if (stopping || gaveUp || inst.generation != gen || inst.state != State.RUNNING) {
      return;
    }
    Child child = inst.child;
    retire(inst, null);
    if (child.spec.restart() != ChildSpec.Restart.PERMANENT) {
      inst.state = State.STOPPED;
      snapshot();
      return;
    }
    Instant now = supervision.clock().instant();
    if (intensity.exceededAfterCrash(now)) {
      giveUp("child '" + child.spec.id() + "' keeps stopping");
      return;
    }
    restartAfterCrash(inst, "normal_exit", child.backoff.onCrash(now, null), System.nanoTime());
  }

  private void restartAfterCrash(Instance crashed, String reason, Duration delay, long crashNanos) {
    List<Instance> group = new ArrayList<>();
    if (RestartPlan.wholeChild(spec.strategy())) {
      for (int ci : RestartPlan.children(spec.strategy(), crashed.child.index, children.size())) {
        group.addAll(children.get(ci).instances);
      }
    } else {
      group.add(crashed);
    }
    for (Instance inst : group) {
      if (gaveUp || stopping) {
        return; // an inline failed deploy below made this supervisor give up
      }
      boolean sibling = inst != crashed;
      if (sibling && inst.state != State.STARTING && inst.state != State.RUNNING && inst.state != State.WAITING) {
        continue; // stopped instances stay stopped
      }
      if (sibling) {
        retire(inst, null);
      }
      if (inst.child.spec.restart() == ChildSpec.Restart.TEMPORARY) {
        inst.state = State.STOPPED;
        continue;
      }
      scheduleRestart(inst, sibling ? CrashKind.SIBLING.label() : reason, delay, crashNanos);
    }
    snapshot();
  }

  private void scheduleRestart(Instance inst, String reason, Duration delay, long crashNanos) {
    inst.state = State.WAITING;
    inst.crashNanos = crashNanos;
    if (inst.restartTimer >= 0) {
      vertx.cancelTimer(inst.restartTimer);
      inst.restartTimer = -1;
    }
    if (delay.isZero()) {
      deploy(inst, reason);
      return;
    }
    inst.restartTimer = vertx.setTimer(delay.toMillis(), t -> {
      inst.restartTimer = -1;
      if (inst.state == State.WAITING) {
        deploy(inst, reason);
      }
    });
  }

  /**
   * Takes an instance out of service without waiting for it: it stops counting as alive, a hung actor is
   * evicted (stops listening, fails what it holds), and the old deployment goes down in the background.
   */
  private void retire(Instance inst, String evictReason) {
    Actor<?> actor = inst.actor;
    if (actor != null && evictReason != null) {
      actor.evict(evictReason);
    }
    takeDown(inst);
    inst.generation = TOKENS.incrementAndGet(); // any late signal or deployment of the old object is now stale
    inst.state = State.WAITING;
  }

  /** Stops counting the instance and undeploys its object (a nested supervisor is quiesced first). */
  private Future<Void> takeDown(Instance inst) {
    if (inst.state == State.RUNNING) {
      inst.child.alive.decrementAndGet();
    }
    inst.pinging = false;
    if (inst.restartTimer >= 0) {
      vertx.cancelTimer(inst.restartTimer);
      inst.restartTimer = -1;
    }
    String deployment = inst.deploymentId;
    Supervisor nested = inst.nested;
    inst.actor = null;
    inst.nested = null;
    inst.deploymentId = null;
    if (deployment == null) {
      return Future.succeededFuture();
    }
    Duration stopTimeout = inst.child.spec.stopTimeout();
    if (nested != null) {
      return nested.quiesce().timeout(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .eventually(() -> undeploy(deployment, stopTimeout)).recover(t -> Future.succeededFuture());
    }
    return undeploy(deployment, stopTimeout);
  }

  private Future<Void> undeploy(String deploymentId, Duration stopTimeout) {
    return vertx.undeploy(deploymentId).timeout(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(t -> {
          LOG.debug("supervisor {}: undeploying {} did not finish cleanly: {}", path, deploymentId, t.toString());
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
      for (Instance inst : c.instances) {
        takeDown(inst);
        inst.state = State.STOPPED;
      }
    }
    supervision.tree().remove(path, token); // a failed start is not followed by stop()
    startPromise.fail(new IllegalStateException("supervisor '" + path + "': " + reason));
  }

  private void giveUp(String reason) {
    gaveUp = true;
    cancelTimers();
    for (Child c : children) {
      for (Instance inst : c.instances) {
        takeDown(inst);
        inst.state = State.STOPPED;
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
    if (livenessTimer >= 0) {
      vertx.cancelTimer(livenessTimer);
      livenessTimer = -1;
    }
    for (Child c : children) {
      for (Instance inst : c.instances) {
        if (inst.restartTimer >= 0) {
          vertx.cancelTimer(inst.restartTimer);
          inst.restartTimer = -1;
        }
      }
    }
  }

  // ---- liveness --------------------------------------------------------------------------------------

  private void pingAll() {
    SupervisorSpec.Liveness liveness = spec.liveness();
    long timeout = liveness.timeout().toMillis();
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeout);
    for (Child c : children) {
      if (c.spec.isSupervisor()) {
        continue;
      }
      for (Instance inst : c.instances) {
        if (inst.state != State.RUNNING || inst.pinging) {
          continue;
        }
        inst.pinging = true;
        long gen = inst.generation;
        vertx.eventBus().request(inst.binding.pingAddress(), null, options).onComplete(ar -> {
          if (inst.generation != gen) {
            return;
          }
          inst.pinging = false;
          if (ar.succeeded()) {
            inst.missedPings = 0;
          } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT
              && ++inst.missedPings >= liveness.misses()) {
            onCrash(inst, gen, Crash.of(CrashKind.UNRESPONSIVE,
                inst.missedPings + " liveness pings in a row not answered within " + timeout + " ms"));
          }
        });
      }
    }
  }

  // ---- visibility ------------------------------------------------------------------------------------

  private void snapshot() {
    JsonArray kids = new JsonArray();
    for (Child c : children) {
      JsonObject lastCrash = c.lastCrashAt == null ? null
          : new JsonObject().put("reason", c.lastCrashReason).put("at", c.lastCrashAt.toString());
      JsonArray instances = new JsonArray();
      for (Instance inst : c.instances) {
        instances.add(new JsonObject().put("index", inst.index).put("state", inst.state.label())
            .put("generation", inst.generation)
            .put("since", inst.state == State.RUNNING && inst.startedAt != null ? inst.startedAt.toString() : null));
      }
      kids.add(new JsonObject()
          .put("id", c.spec.id())
          .put("kind", c.spec.isSupervisor() ? "supervisor" : "actor")
          .put("actor", c.spec.actor().orElse(null))
          .put("address", c.spec.isSupervisor() ? null : c.spec.address())
          .put("restart", c.spec.restart().label())
          .put("status", c.status())
          .put("wanted", c.instances.size())
          .put("alive", c.alive.get())
          .put("restarts", c.restarts)
          .put("lastCrash", lastCrash)
          .put("backoffMs", c.backoff.last().toMillis())
          .put("instances", instances));
    }
    JsonObject snapshot = new JsonObject()
        .put("id", spec.id())
        .put("path", path)
        .put("state", gaveUp ? "gave_up" : stopping ? "stopping" : started ? "running" : "starting")
        .put("strategy", spec.strategy().label())
        .put("maxRestarts", spec.maxRestarts())
        .put("period", Durations.format(spec.period()))
        .put("children", kids);
    supervision.tree().publish(path, token, snapshot);
  }

  // ---- state -----------------------------------------------------------------------------------------

  private enum State {
    STARTING, RUNNING, WAITING, STOPPED;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One child spec and its instance slots. */
  private static final class Child {
    final int index;
    final ChildSpec spec;
    final List<Instance> instances = new ArrayList<>();
    final RestartBackoff backoff;
    final ActorMeters meters;
    /** Live instances; shared with the gauge, which outlives a restart of this supervisor. */
    final AtomicInteger alive;
    int restarts;
    String lastCrashReason;
    Instant lastCrashAt;

    Child(int index, ChildSpec spec, RestartBackoff backoff, AtomicInteger alive, MeterRegistry registry) {
      this.index = index;
      this.spec = spec;
      this.backoff = backoff;
      this.alive = alive;
      this.meters = ActorMeters.of(registry, spec.id());
      for (int i = 0; i < spec.instances(); i++) {
        instances.add(new Instance(this, i));
      }
    }

    String status() {
      boolean allRunning = true;
      boolean allStopped = true;
      boolean backingOff = false;
      for (Instance inst : instances) {
        allRunning &= inst.state == State.RUNNING;
        allStopped &= inst.state == State.STOPPED;
        backingOff |= inst.restartTimer >= 0;
      }
      return allRunning ? "running" : allStopped ? "stopped" : backingOff ? "backing_off" : "restarting";
    }
  }

  /** One deployment slot of a child; its generation changes with every fresh object put in it. */
  private static final class Instance {
    final Child child;
    final int index;
    long generation;
    State state = State.WAITING;
    String deploymentId;
    Actor<?> actor;
    Supervisor nested;
    ActorBinding binding;
    Instant startedAt;
    long crashNanos;
    long restartTimer = -1;
    boolean pinging;
    int missedPings;

    Instance(Child child, int index) {
      this.child = child;
      this.index = index;
    }
  }
}
