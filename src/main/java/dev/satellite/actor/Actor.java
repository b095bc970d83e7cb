package dev.satellite.actor;

import dev.satellite.cluster.BusRouter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An actor: a verticle that owns its state and is reached only by messages on one event-bus address, its
 * channel. Subclasses implement {@link #onMessage(Message)} for bodies of type {@code T} and answer with a
 * future of the reply body; they talk to other actors with {@link #ask}, {@link #tell}, {@link #publish}
 * and {@link #subscribe}.
 *
 * <p>The base does the rest: it registers the consumers (the address; on a cluster also the address on this
 * node; and a private node-local address of this instance, which requests made on the instance's own event
 * loop are sent to, so they stay on that thread), replies, checks the body type, refuses work whose
 * deadline has passed, bounds the mailbox (messages accepted but not yet completed), answers its
 * supervisor's liveness pings, and turns anything that goes wrong on its context into a crash: an exception
 * from a handler, a timer or a callback, or an explicit {@link #crash(String)}. A crashed instance stops
 * listening at once, fails every message it holds with {@link ActorFailures#CRASHED} (so callers learn
 * promptly, not at their timeout), reports to its supervisor and is never used again: the supervisor deploys
 * a fresh object.
 *
 * <p>Event-loop confined: every method except {@link #evict(String)} runs on the actor's own event loop,
 * so subclass state needs no synchronisation.
 *
 * @param <T> the body type this actor accepts ({@code JsonObject}, {@code Buffer}, {@code String}, or
 *            {@code Object} for any); other bodies are refused with a 400 failure, never a crash
 */
public abstract class Actor<T> extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(Actor.class);

  private final Class<T> bodyType;
  private ActorBinding binding;
  private BusRouter bus;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  /** Messages handed to {@link #onMessage} whose reply future has not completed yet. */
  private final Set<Message<Object>> pending = new HashSet<>();
  /** Messages held while an injected hang lasts; worked on when it ends. */
  private final ArrayDeque<Message<Object>> held = new ArrayDeque<>();
  private boolean hangTimerSet;
  private boolean dead;
  /** Whether this instance told the router it serves requests made on its event loop. */
  private boolean announced;
  /** Completed when the last pending message is answered after {@link #stop()}. */
  private Promise<Void> drained;

  protected Actor(Class<T> bodyType) {
    this.bodyType = bodyType;
  }

  /** Wires the instance to its supervisor; called once, before deployment. */
  public final void bind(ActorBinding binding) {
    if (this.binding != null) {
      throw new IllegalStateException("actor instance already bound: instances are never reused");
    }
    this.binding = binding;
  }

  /** The instance's wiring: id, address, limits, settings. */
  protected final ActorBinding binding() {
    return binding;
  }

  public final String id() {
    return binding.id();
  }

  public final String address() {
    return binding.address();
  }

  @Override
  public final Future<?> start() throws Exception {
    if (binding == null) {
      String address = config().getString("address");
      if (address == null) {
        throw new IllegalStateException(getClass().getName() + " deployed without a binding or an 'address' config");
      }
      binding = ActorBinding.standalone(address, address, "local");
    }
    bus = binding.bus() != null ? binding.bus() : BusRouter.local(vertx);
    Thread loop = Thread.currentThread(); // start() runs on the instance's own context
    context.exceptionHandler(t -> crash(Crash.of(CrashKind.EXCEPTION, t)));
    return onStart().compose(v -> {
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
      return Future.all(registered).onSuccess(all -> {
        if (!dead && context.isEventLoopContext()) {
          // from now on, requests made on this event loop come straight to this instance
          bus.instances().add(binding.address(), binding.instanceAddress(), loop);
          announced = true;
        }
      });
    });
  }

  private Future<Void> listen(MessageConsumer<?> consumer) {
    consumers.add(consumer);
    return consumer.completion();
  }

  /**
   * Stops listening at once, then lets the messages already being worked on finish (the supervisor bounds
   * the wait with the child's stop timeout) before {@link #onStop()}.
   */
  @Override
  public final Future<?> stop() throws Exception {
    dead = true;
    unregister();
    for (Message<Object> m : held) {
      m.fail(ActorFailures.STOPPING, "actor " + binding.id() + " is stopping");
    }
    held.clear();
    Future<Void> finished;
    if (pending.isEmpty()) {
      finished = Future.succeededFuture();
    } else {
      drained = Promise.promise();
      finished = drained.future().timeout(binding.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .recover(t -> {
            failHeld(ActorFailures.STOPPING, "actor " + binding.id() + " stopped before answering");
            return Future.succeededFuture();
          });
    }
    return finished.compose(v -> {
      try {
        return onStop();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }).recover(t -> {
      LOG.warn("actor {}#{} failed to stop cleanly: {}", binding.id(), binding.instance(), t.toString());
      return Future.succeededFuture();
    });
  }

  private void dispatch(Message<Object> msg) {
    if (dead) {
      msg.fail(ActorFailures.CRASHED, "actor " + binding.id() + " instance is gone");
      return;
    }
    if (binding.faults().enabled() && hold(msg)) {
      return;
    }
    long deadline = Deadlines.of(msg);
    if (deadline != Deadlines.NONE && binding.clock().millis() >= deadline) {
      binding.meters().deadlinePassed().increment();
      msg.fail(ActorFailures.DEADLINE, "deadline passed before actor " + binding.id() + " started on the message");
      return;
    }
    Object body = msg.body();
    if (body != null && !bodyType.isInstance(body)) {
      binding.meters().badMessage().increment();
      msg.fail(400, "actor " + binding.id() + " takes " + bodyType.getSimpleName() + " messages, not "
          + body.getClass().getSimpleName());
      return;
    }
    if (pending.size() + held.size() >= binding.mailbox()) {
      refuseFull(msg);
      return;
    }
    Future<?> reply;
    try {
      if (binding.faults().enabled() && binding.faults().takeCrash(binding.id())) {
        throw new InjectedCrash("chaos: injected crash of " + binding.id());
      }
      @SuppressWarnings("unchecked")
      Message<T> typed = (Message<T>) (Message<?>) msg;
      reply = Objects.requireNonNull(onMessage(typed), "onMessage returned null instead of a future");
    } catch (Throwable t) {
      // stop listening before the caller hears of it, so a request it sends next cannot reach this instance
      crash(Crash.of(CrashKind.EXCEPTION, t));
      msg.fail(ActorFailures.CRASHED, "actor " + binding.id() + " crashed: " + t.getMessage());
      return;
    }
    if (dead) {
      // the handler crashed or stopped this instance on its way out (e.g. crash(reason)): nobody will answer
      msg.fail(ActorFailures.CRASHED, "actor " + binding.id() + " crashed while handling the message");
    } else if (reply.isComplete()) {
      answer(msg, reply);
    } else {
      pending.add(msg);
      Context own = context;
      reply.onComplete(ar -> {
        if (Vertx.currentContext() == own) {
          completed(msg, reply);
        } else {
          own.runOnContext(v -> completed(msg, reply)); // a future completed on a foreign thread
        }
      });
    }
  }

  private void completed(Message<Object> msg, Future<?> reply) {
    if (pending.remove(msg)) {
      try {
        answer(msg, reply);
      } finally {
        if (drained != null && pending.isEmpty()) {
          drained.tryComplete();
        }
      }
    }
  }

  private void refuseFull(Message<Object> msg) {
    binding.meters().mailboxFull().increment();
    msg.fail(ActorFailures.MAILBOX_FULL, "mailbox of actor " + binding.id() + " is full (" + binding.mailbox() + ")");
  }

  private static void answer(Message<Object> msg, Future<?> reply) {
    if (reply.succeeded()) {
      if (msg.replyAddress() != null) {
        try {
          msg.reply(reply.result());
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
    } else {
      msg.fail(ActorFailures.APPLICATION, String.valueOf(cause.getMessage()));
    }
  }

  /** While an injected hang lasts, messages wait in the actor's own queue (still bounded by the mailbox). */
  private boolean hold(Message<Object> msg) {
    Optional<Instant> until = binding.faults().hangUntil(binding.id());
    if (until.isEmpty()) {
      return false;
    }
    if (pending.size() + held.size() >= binding.mailbox()) {
      refuseFull(msg);
      return true;
    }
    held.add(msg);
    if (!hangTimerSet) {
      hangTimerSet = true;
      long delay = Math.max(1, Duration.between(binding.clock().instant(), until.get()).toMillis());
      vertx.setTimer(delay, id -> {
        hangTimerSet = false;
        List<Message<Object>> resume = new ArrayList<>(held);
        held.clear();
        resume.forEach(this::dispatch);
      });
    }
    return true;
  }

  private void ping(Message<Object> msg) {
    if (!dead && !(binding.faults().enabled() && binding.faults().hangUntil(binding.id()).isPresent())) {
      msg.reply(null);
    }
  }

  // ---- talking to other actors -----------------------------------------------------------------------

  /**
   * Asks another actor on behalf of {@code cause}: the request carries the same deadline and request id,
   * and its bus timeout is the time left. A deadline that has already passed fails at once, unsent.
   */
  protected final <R> Future<Message<R>> ask(Message<?> cause, String address, Object body) {
    long deadline = Deadlines.of(cause);
    if (deadline != Deadlines.NONE && binding.clock().millis() >= deadline) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.DEADLINE,
          "deadline passed before asking " + address));
    }
    DeliveryOptions options = Deadlines.options(deadline, cause.headers().get(Deadlines.REQUEST_ID), binding.clock());
    return bus.request(address, body, options);
  }

  /** Asks another actor with a fresh deadline of {@code timeout} from now. */
  protected final <R> Future<Message<R>> ask(String address, Object body, Duration timeout) {
    return bus.request(address, body,
        Deadlines.options(binding.clock().millis() + timeout.toMillis(), null, binding.clock()));
  }

  /** Sends to another actor without waiting for an answer. */
  protected final void tell(String address, Object body) {
    bus.send(address, body, new DeliveryOptions());
  }

  /** Publishes to every subscriber of {@code topic}, on every node. */
  protected final void publish(String topic, Object body) {
    vertx.eventBus().publish(topic, body);
  }

  /**
   * Subscribes to {@code topic} for the life of this instance; the handler runs on the actor's loop, and an
   * exception it throws crashes the instance like any other.
   */
  protected final <M> Future<Void> subscribe(String topic, Handler<Message<M>> handler) {
    return listen(vertx.eventBus().<M>consumer(topic, m -> {
      if (!dead) {
        handler.handle(m);
      }
    }));
  }

  // ---- crashing --------------------------------------------------------------------------------------

  /**
   * Crashes this instance on purpose: it stops listening, fails the messages it holds and is replaced
   * by its supervisor with a fresh instance.
   */
  protected final void crash(String reason) {
    crash(Crash.of(CrashKind.EXPLICIT, reason));
  }

  private void crash(Crash crash) {
    if (dead) {
      return;
    }
    dead = true;
    LOG.debug("actor {}#{} crashed: {}", binding.id(), binding.instance(), crash);
    // tell the supervisor first: unregistering answers queued pings, which must not look like a hang
    binding.link().crashed(crash);
    unregister();
    failHeld(ActorFailures.CRASHED, "actor " + binding.id() + " crashed: " + crash.reason());
  }

  /**
   * Ends this instance normally (not a crash): it stops listening, refuses what it holds, and its
   * supervisor replaces it only if the child is {@code permanent}.
   */
  protected final void exit() {
    if (dead) {
      return;
    }
    dead = true;
    binding.link().stopped();
    unregister();
    failHeld(ActorFailures.STOPPING, "actor " + binding.id() + " stopped");
  }

  /**
   * Called by the supervisor (from its own thread) when it gave up on this instance, e.g. after it stopped
   * answering pings: stop listening and fail what it holds, on the actor's own loop.
   */
  public final void evict(String reason) {
    Context ctx = context;
    if (ctx == null) {
      return;
    }
    ctx.runOnContext(v -> {
      if (!dead) {
        dead = true;
        unregister();
        failHeld(ActorFailures.UNRESPONSIVE, "actor " + binding.id() + " was replaced: " + reason);
      }
    });
  }

  private void unregister() {
    if (announced) {
      announced = false;
      bus.instances().remove(binding.address(), binding.instanceAddress());
    }
    consumers.forEach(MessageConsumer::unregister);
    consumers.clear();
  }

  private void failHeld(int code, String message) {
    for (Message<Object> m : pending) {
      m.fail(code, message);
    }
    pending.clear();
    for (Message<Object> m : held) {
      m.fail(code, message);
    }
    held.clear();
  }

  /** Messages accepted and not yet completed (the mailbox's fill). */
  protected final int mailboxSize() {
    return pending.size() + held.size();
  }

  /** Milliseconds left until the message's deadline ({@link Long#MAX_VALUE} when it has none). */
  protected final long millisLeft(Message<?> message) {
    return Deadlines.millisLeft(Deadlines.of(message), binding.clock());
  }

  /** Called before the actor starts listening. A failed future is a crash ({@code start_failed}). */
  protected Future<Void> onStart() {
    return Future.succeededFuture();
  }

  /** Called when the instance is undeployed, after it stopped listening. */
  protected Future<Void> onStop() {
    return Future.succeededFuture();
  }

  /** Handles one message; the future's value is the reply body (ignored for fire-and-forget sends). */
  protected abstract Future<?> onMessage(Message<T> message);

  /** The exception an injected crash fault throws inside the handler. */
  static final class InjectedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedCrash(String message) {
      super(message, null, false, false);
    }
  }
}
