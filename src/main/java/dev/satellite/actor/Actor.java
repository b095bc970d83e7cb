package dev.satellite.actor;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An actor: a verticle that owns its state and is reached only by messages on one event-bus address, its
 * channel. Subclasses implement {@link #onMessage(Message)} and answer with a future of the reply body.
 *
 * <p>The base does the rest: it registers the consumer, replies, bounds the mailbox (messages accepted
 * but not yet completed), answers its supervisor's liveness pings, and turns anything that goes wrong on
 * its context into a crash: an exception from a handler, a timer or a callback, or an explicit
 * {@link #crash(String)}. A crashed instance stops listening at once, fails every message it holds with
 * {@link ActorFailures#CRASHED} (so callers learn promptly, not at their timeout), reports to its
 * supervisor and is never used again: the supervisor deploys a fresh object.
 *
 * <p>Event-loop confined: every method except {@link #evict(String)} runs on the actor's own event loop,
 * so subclass state needs no synchronisation.
 */
public abstract class Actor extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(Actor.class);

  private ActorBinding binding;
  private MessageConsumer<Object> consumer;
  private MessageConsumer<Object> pings;
  /** Messages handed to {@link #onMessage} whose reply future has not completed yet. */
  private final Set<Message<Object>> pending = new HashSet<>();
  /** Messages held while an injected hang lasts; worked on when it ends. */
  private final ArrayDeque<Message<Object>> held = new ArrayDeque<>();
  private boolean hangTimerSet;
  private boolean dead;

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
    context.exceptionHandler(t -> crash(Crash.of(CrashKind.EXCEPTION, t)));
    return onStart().compose(v -> {
      consumer = vertx.eventBus().consumer(binding.address(), this::dispatch);
      pings = vertx.eventBus().localConsumer(binding.pingAddress(), this::ping);
      return Future.all(consumer.completion(), pings.completion());
    });
  }

  @Override
  public final Future<?> stop() throws Exception {
    if (!dead) {
      dead = true;
      unregister();
      failHeld(ActorFailures.STOPPING, "actor " + binding.id() + " is stopping");
    }
    return onStop();
  }

  private void dispatch(Message<Object> msg) {
    if (dead) {
      msg.fail(ActorFailures.CRASHED, "actor " + binding.id() + " instance is gone");
      return;
    }
    if (binding.faults().enabled() && hold(msg)) {
      return;
    }
    if (pending.size() + held.size() >= binding.mailbox()) {
      msg.fail(ActorFailures.MAILBOX_FULL, "mailbox of actor " + binding.id() + " is full (" + binding.mailbox() + ")");
      return;
    }
    Future<?> reply;
    try {
      if (binding.faults().enabled() && binding.faults().takeCrash(binding.id())) {
        throw new InjectedCrash("chaos: injected crash of " + binding.id());
      }
      reply = onMessage(msg);
    } catch (Throwable t) {
      msg.fail(ActorFailures.CRASHED, "actor " + binding.id() + " crashed: " + t.getMessage());
      crash(Crash.of(CrashKind.EXCEPTION, t));
      return;
    }
    if (dead) {
      // the handler crashed or stopped this instance on its way out (e.g. crash(reason)): nobody will answer
      msg.fail(ActorFailures.CRASHED, "actor " + binding.id() + " crashed while handling the message");
    } else if (reply.isComplete()) {
      answer(msg, reply);
    } else {
      pending.add(msg);
      reply.onComplete(ar -> {
        if (pending.remove(msg)) {
          answer(msg, reply);
        }
      });
    }
  }

  private static void answer(Message<Object> msg, Future<?> reply) {
    if (reply.succeeded()) {
      if (msg.replyAddress() != null) {
        msg.reply(reply.result());
      }
      return;
    }
    Throwable cause = reply.cause();
    if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      msg.fail(re.failureCode(), re.getMessage());
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
      msg.fail(ActorFailures.MAILBOX_FULL, "mailbox of actor " + binding.id() + " is full (" + binding.mailbox() + ")");
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
    unregister();
    failHeld(ActorFailures.CRASHED, "actor " + binding.id() + " crashed: " + crash.reason());
    binding.link().crashed(crash);
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
    if (consumer != null) {
      consumer.unregister();
    }
    if (pings != null) {
      pings.unregister();
    }
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

  /** Called before the actor starts listening. A failed future is a crash ({@code start_failed}). */
  protected Future<Void> onStart() {
    return Future.succeededFuture();
  }

  /** Called when the instance is undeployed, after it stopped listening. */
  protected Future<Void> onStop() {
    return Future.succeededFuture();
  }

  /** Handles one message; the future's value is the reply body (ignored for fire-and-forget sends). */
  protected abstract Future<?> onMessage(Message<Object> message);

  /** The exception an injected crash fault throws inside the handler. */
  static final class InjectedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedCrash(String message) {
      super(message, null, false, false);
    }
  }
}
