package dev.satellite.actor.internal;

import dev.satellite.actor.ActorBinding;
import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.BodyTypes;
import dev.satellite.actor.Crash;
import dev.satellite.actor.CrashKind;
import dev.satellite.actor.MessageHeaders;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.chaos.FaultTarget;
import dev.satellite.chaos.Victim;
import dev.satellite.cluster.BusRouter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime of one actor instance — what the {@code Actor} base class delegates to, so the class users extend
 * carries only what they call. It registers the instance's consumers (its address; on a cluster also its address
 * on this node; a private node-local address that requests made on the instance's own event loop are sent to; and
 * the address its supervisor pings), takes each message through the checks that come before any work (an injected
 * hang, the deadline, the body's type, the mailbox bound, an injected crash), runs the handler, answers, and turns
 * anything that goes wrong on its context into a crash: the instance stops listening, fails what it holds with
 * {@code CRASHED} and reports to its supervisor, which deploys a fresh object.
 *
 * <p>Every message gets its deadline on receipt, from the time left it carries. A reply that has not come when the
 * deadline passes is failed to its caller with {@code DEADLINE} and the message's mailbox slot is given back; if
 * such expired work fills the whole mailbox, the instance answers its liveness pings with a failure and is replaced.
 *
 * <p>Event-loop confined: everything but {@link #evict(String)} runs on the instance's own context.
 */
public final class ActorCell {

  private static final Logger LOG = LoggerFactory.getLogger(ActorCell.class);

  /** The actor's own callbacks (its protected methods, handed over by the base class). */
  public interface Behaviour {
    Future<Void> onStart();

    Future<?> onMessage(Message<Object> message);

    Future<Void> onStop();
  }

  private final ActorBinding binding;
  private final Class<?> bodyType;
  private final Behaviour behaviour;
  private final Vertx vertx;
  private final Context context;
  private final BusRouter bus;
  private final Mailbox mailbox;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  /** Messages held while an injected hang lasts; worked on when it ends. */
  private final ArrayDeque<Message<Object>> held = new ArrayDeque<>();
  private boolean hangTimerSet;
  /** Messages an injected latency holds on a timer. */
  private final Set<Message<Object>> delayed = Collections.newSetFromMap(new IdentityHashMap<>());
  /** This actor as a fault target, and this instance as the chaos monkey's victim. */
  private final FaultTarget self;
  private final Victim victim;
  private long expiryTimer = -1;
  private long expiryAt = MessageHeaders.NO_DEADLINE;
  private boolean dead;
  /** Whether this instance told the router it serves requests made on its event loop. */
  private boolean announced;
  /** The message the handler is running for right now, and the deadline it got (no map lookup for sync replies). */
  private Message<?> current;
  private long currentDeadline;
  /** Completed when the last live message is answered after {@link #stop()}. */
  private Promise<Void> drained;

  public ActorCell(ActorBinding binding, Class<?> bodyType, Behaviour behaviour, Vertx vertx, Context context) {
    this.binding = binding;
    this.bodyType = bodyType;
    this.behaviour = behaviour;
    this.vertx = vertx;
    this.context = context;
    this.bus = binding.bus() != null ? binding.bus() : BusRouter.local(vertx);
    this.mailbox = new Mailbox(binding.mailbox());
    this.self = FaultTarget.actor(binding.id());
    this.victim = new Victim() {
      @Override
      public String actor() {
        return binding.id();
      }

      @Override
      public int instance() {
        return binding.instance();
      }

      @Override
      public void crash(String reason) {
        context.runOnContext(v -> ActorCell.this.crash(Crash.of(CrashKind.EXCEPTION, new InjectedCrash("chaos: " + reason))));
      }
    };
  }

  public BusRouter bus() {
    return bus;
  }

  public boolean dead() {
    return dead;
  }

  /** Messages accepted and not yet answered, held ones included. */
  public int mailboxSize() {
    return mailbox.size();
  }

  // ---- life ------------------------------------------------------------------------------------------

  public Future<Void> start() {
    Thread loop = Thread.currentThread(); // start() runs on the instance's own context
    context.exceptionHandler(t -> crash(Crash.of(CrashKind.EXCEPTION, t)));
    return behaviour.onStart().compose(v -> {
      if (dead) {
        return Future.failedFuture("actor " + binding.id() + " crashed while starting");
      }
      List<Future<Void>> registered = new ArrayList<>();
      registered.add(listen(vertx.eventBus().consumer(binding.address(), this::dispatch)));
      if (bus.routesByNode()) {
        registered.add(listen(vertx.eventBus().consumer(binding.nodeAddress(), this::dispatch)));
      }
      registered.add(listen(vertx.eventBus().localConsumer(binding.pingAddress(), this::ping)));
      registered.add(listen(vertx.eventBus().localConsumer(binding.instanceAddress(), this::dispatch)));
      return Future.all(registered).<Void>mapEmpty().onSuccess(all -> {
        if (!dead && context.isEventLoopContext()) {
          // from now on, requests made on this event loop come straight to this instance
          bus.instances().add(binding.address(), binding.instanceAddress(), loop);
          announced = true;
        }
        if (!dead) {
          binding.faults().enlist(victim);
        }
      });
    });
  }

  /** Registers a consumer for the life of this instance. */
  public Future<Void> listen(MessageConsumer<?> consumer) {
    consumers.add(consumer);
    return consumer.completion();
  }

  /**
   * Stops listening at once, then lets the messages already being worked on finish (bounded by the child's stop
   * timeout) before the actor's {@code onStop()}.
   */
  public Future<Void> stop() {
    dead = true;
    unregister();
    failHeld(ActorFailures.STOPPING, "actor " + binding.id() + " is stopping");
    Future<Void> finished;
    if (mailbox.isEmpty()) {
      finished = Future.succeededFuture();
    } else {
      drained = Promise.promise();
      finished = drained.future().timeout(binding.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .recover(t -> {
            failLive(ActorFailures.STOPPING, "actor " + binding.id() + " stopped before answering");
            return Future.succeededFuture();
          });
    }
    return finished.compose(v -> {
      try {
        return behaviour.onStop();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }).recover(t -> {
      LOG.warn("actor {}#{} failed to stop cleanly: {}", binding.id(), binding.instance(), t.toString());
      return Future.succeededFuture();
    });
  }

  /** Crashes the instance: it stops listening, fails what it holds, and its supervisor replaces it. */
  public void crash(Crash crash) {
    if (dead) {
      return;
    }
    dead = true;
    LOG.debug("actor {}#{} crashed: {}", binding.id(), binding.instance(), crash);
    // tell the supervisor first: unregistering answers queued pings, which must not look like a hang
    binding.link().crashed(crash);
    unregister();
    failHeld(ActorFailures.CRASHED, "actor " + binding.id() + " crashed: " + crash.reason());
    failLive(ActorFailures.CRASHED, "actor " + binding.id() + " crashed: " + crash.reason());
  }

  /** Ends the instance normally: it stops listening, refuses what it holds; only a permanent child comes back. */
  public void exit() {
    if (dead) {
      return;
    }
    dead = true;
    binding.link().stopped();
    unregister();
    failHeld(ActorFailures.STOPPING, "actor " + binding.id() + " stopped");
    failLive(ActorFailures.STOPPING, "actor " + binding.id() + " stopped");
  }

  /** The supervisor gave up on this instance (from its own thread): stop listening and fail what it holds. */
  public void evict(String reason) {
    context.runOnContext(v -> {
      if (!dead) {
        dead = true;
        unregister();
        failHeld(ActorFailures.UNRESPONSIVE, "actor " + binding.id() + " was replaced: " + reason);
        failLive(ActorFailures.UNRESPONSIVE, "actor " + binding.id() + " was replaced: " + reason);
      }
    });
  }

  private void unregister() {
    binding.faults().discharge(victim);
    if (announced) {
      announced = false;
      bus.instances().remove(binding.address(), binding.instanceAddress());
    }
    consumers.forEach(MessageConsumer::unregister);
    consumers.clear();
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
  }

  private void failHeld(int code, String message) {
    mailbox.held(-held.size() - delayed.size());
    for (Message<Object> m : held) {
      m.fail(code, message);
    }
    held.clear();
    for (Message<Object> m : delayed) {
      m.fail(code, message);
    }
    delayed.clear();
  }

  private void failLive(int code, String message) {
    for (Mailbox.Entry e : mailbox.drainLive()) {
      e.message.fail(code, message);
    }
    if (drained != null) {
      drained.tryComplete();
    }
  }

  // ---- messages --------------------------------------------------------------------------------------

  private void dispatch(Message<Object> msg) {
    if (dead) { // it was on its way when this instance went: not worked on, safe to send elsewhere
      msg.fail(ActorFailures.GONE, "actor " + binding.id() + " instance is gone");
      return;
    }
    if (binding.faults().enabled() && (hold(msg) || injected(msg))) {
      return;
    }
    accept(msg);
  }

  /** The checks before any work that come after chaos: the deadline it carries, then the work itself. */
  private void accept(Message<Object> msg) {
    long deadline;
    try {
      deadline = MessageHeaders.deadlineOnReceipt(msg.headers(), binding.clock());
    } catch (IllegalArgumentException e) {
      binding.meters().badMessage().increment();
      msg.fail(ActorFailures.BAD_REQUEST, e.getMessage());
      return;
    }
    work(msg, deadline);
  }

  private void work(Message<Object> msg, long deadline) {
    if (deadline != MessageHeaders.NO_DEADLINE && binding.clock().millis() >= deadline) {
      binding.meters().deadlinePassed().increment();
      msg.fail(ActorFailures.DEADLINE, "deadline passed before actor " + binding.id() + " started on the message");
      return;
    }
    Object body = msg.body();
    if (body != null && !bodyType.isInstance(body)) {
      try {
        body = BodyTypes.convert(body, bodyType, MessageHeaders.contentType(msg));
      } catch (BodyTypes.BadBody bad) {
        binding.meters().badMessage().increment();
        msg.fail(bad.code(), bad.getMessage());
        return;
      }
    }
    if (mailbox.full()) {
      refuseFull(msg);
      return;
    }
    if (body != msg.body()) {
      msg = new Converted(msg, body);
    }
    Future<?> reply;
    current = msg;
    currentDeadline = deadline;
    try {
      if (binding.faults().enabled() && binding.faults().takeCrash(binding.id())) {
        throw new InjectedCrash("chaos: injected crash of " + binding.id());
      }
      reply = Objects.requireNonNull(behaviour.onMessage(msg), "onMessage returned null instead of a future");
    } catch (Throwable t) {
      current = null;
      // a request that came through a circuit breaker crashes the instance all the same, but its breaker, not the
      // restart intensity, contains a loop of such requests
      CrashKind kind = MessageHeaders.isShielded(msg) ? CrashKind.POISON : CrashKind.EXCEPTION;
      // stop listening before the caller hears of it, so a request it sends next cannot reach this instance
      crash(Crash.of(kind, t));
      msg.fail(ActorFailures.CRASHED, "actor " + binding.id() + " crashed: " + t.getMessage());
      return;
    }
    current = null;
    if (dead) {
      // the handler crashed or stopped this instance on its way out (e.g. crash(reason)): nobody will answer
      msg.fail(ActorFailures.CRASHED, "actor " + binding.id() + " crashed while handling the message");
    } else if (reply.isComplete()) {
      answer(msg, reply);
    } else {
      Mailbox.Entry entry = mailbox.accept(msg, deadline);
      watchDeadline(deadline);
      reply.onComplete(ar -> {
        if (Vertx.currentContext() == context) {
          completed(entry, reply);
        } else {
          context.runOnContext(v -> completed(entry, reply)); // a future completed on a foreign thread
        }
      });
    }
  }

  private void completed(Mailbox.Entry entry, Future<?> reply) {
    if (mailbox.complete(entry)) {
      try {
        answer(entry.message, reply);
      } finally {
        if (drained != null && mailbox.isEmpty()) {
          drained.tryComplete();
        }
      }
    }
  }

  /** Arms the expiry timer for the earliest deadline of the live messages. */
  private void watchDeadline(long deadline) {
    if (deadline == MessageHeaders.NO_DEADLINE || deadline >= expiryAt) {
      return;
    }
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
    expiryAt = deadline;
    expiryTimer = vertx.setTimer(Math.max(1, deadline - binding.clock().millis()), t -> {
      expiryTimer = -1;
      expiryAt = MessageHeaders.NO_DEADLINE;
      expireOverdue();
    });
  }

  private void expireOverdue() {
    if (dead) {
      return;
    }
    for (Mailbox.Entry e : mailbox.expire(binding.clock().millis())) {
      binding.meters().expired().increment();
      e.message.fail(ActorFailures.DEADLINE, "actor " + binding.id() + " did not answer before the deadline");
    }
    if (mailbox.stuck()) {
      LOG.warn("actor {}#{}: {} replies outlived their deadline and are still not sent; the instance no longer "
          + "finishes its work", binding.id(), binding.instance(), mailbox.expiredWork());
    }
    if (drained != null && mailbox.isEmpty()) {
      drained.tryComplete();
    }
    watchDeadline(mailbox.nextDeadline());
  }

  private void refuseFull(Message<Object> msg) {
    binding.meters().mailboxFull().increment();
    msg.fail(ActorFailures.MAILBOX_FULL, "mailbox of actor " + binding.id() + " is full (" + mailbox.capacity() + ")");
  }

  private static void answer(Message<Object> msg, Future<?> reply) {
    if (reply.succeeded()) {
      if (msg.replyAddress() != null) {
        try {
          if (reply.result() instanceof dev.satellite.actor.Reply r) {
            msg.reply(r.body(), new io.vertx.core.eventbus.DeliveryOptions()
                .addHeader(dev.satellite.actor.MessageHeaders.STATUS, Integer.toString(r.status())));
          } else {
            msg.reply(reply.result());
          }
        } catch (RuntimeException e) { // e.g. a reply body the event bus has no codec for
          msg.fail(ActorFailures.APPLICATION, "cannot send the reply: " + e.getMessage());
        }
      }
      return;
    }
    Throwable cause = reply.cause();
    if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      msg.fail(re.failureCode(), re.getMessage());
    } else if (cause instanceof ReplyException re) {
      // a downstream timeout or missing handler: pass it on as what it is
      int code = switch (re.failureType()) {
        case TIMEOUT -> ActorFailures.DEADLINE;
        case NO_HANDLERS -> 503;
        default -> ActorFailures.APPLICATION;
      };
      msg.fail(code, re.getMessage());
    } else if (cause instanceof BodyTypes.BadBody bad) {
      msg.fail(bad.code(), bad.getMessage());
    } else {
      msg.fail(ActorFailures.APPLICATION, String.valueOf(cause.getMessage()));
    }
  }

  /** The deadline {@code message} got on receipt (for asks made on its behalf), else from its header now. */
  public long deadlineOf(Message<?> message) {
    if (message == current) {
      return currentDeadline;
    }
    Long live = mailbox.deadlineOf(message);
    if (live != null) {
      return live;
    }
    try {
      return MessageHeaders.deadlineOnReceipt(message.headers(), binding.clock());
    } catch (IllegalArgumentException e) {
      return MessageHeaders.NO_DEADLINE;
    }
  }

  // ---- chaos and liveness ----------------------------------------------------------------------------

  /** While an injected hang lasts, messages wait in the instance's own queue (still bounded by the mailbox). */
  private boolean hold(Message<Object> msg) {
    Optional<Instant> until = binding.faults().hangUntil(binding.id());
    if (until.isEmpty()) {
      return false;
    }
    if (mailbox.full()) {
      refuseFull(msg);
      return true;
    }
    held.add(msg);
    mailbox.held(1);
    if (!hangTimerSet) {
      hangTimerSet = true;
      long delay = Math.max(1, Duration.between(binding.clock().instant(), until.get()).toMillis());
      vertx.setTimer(delay, id -> {
        hangTimerSet = false;
        List<Message<Object>> resume = new ArrayList<>(held);
        mailbox.held(-held.size());
        held.clear();
        resume.forEach(this::dispatch);
      });
    }
    return true;
  }

  /**
   * Answers the supervisor's liveness ping — unless an injected hang lasts (no answer: a miss), or expired work
   * fills the mailbox (a failure that says so: the instance no longer finishes what it starts).
   */
  private void ping(Message<Object> msg) {
    if (dead || (binding.faults().enabled() && binding.faults().hangUntil(binding.id()).isPresent())) {
      return;
    }
    if (mailbox.stuck()) {
      msg.fail(ActorFailures.UNRESPONSIVE, mailbox.expiredWork() + " replies outlived their deadline and were never sent"
          + " (the mailbox holds " + mailbox.capacity() + ")");
      return;
    }
    msg.reply(null);
  }

  /**
   * An injected error fails the message with the fault's code at once; injected latency parks it on a timer (it
   * keeps its mailbox slot meanwhile) and then takes it through the usual checks, its deadline included.
   */
  private boolean injected(Message<Object> msg) {
    FaultRegistry faults = binding.faults();
    int code = faults.error(self);
    if (code != 0) {
      msg.fail(code, "chaos: injected error in actor " + binding.id());
      return true;
    }
    long delay = faults.delayMs(self);
    if (delay < 0) {
      return false;
    }
    if (mailbox.full()) {
      refuseFull(msg);
      return true;
    }
    delayed.add(msg);
    mailbox.held(1);
    vertx.setTimer(Math.max(1, delay), t -> {
      if (delayed.remove(msg)) {
        mailbox.held(-1);
        if (dead) {
          msg.fail(ActorFailures.CRASHED, "actor " + binding.id() + " instance is gone");
        } else {
          accept(msg);
        }
      }
    });
    return true;
  }

  /** The exception an injected crash fault throws inside the handler. */
  static final class InjectedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedCrash(String message) {
      super(message, null, false, false);
    }
  }
}
