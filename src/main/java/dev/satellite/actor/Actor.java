package dev.satellite.actor;

import dev.satellite.actor.internal.ActorCell;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * An actor: a verticle that owns its state and is reached only by messages on one event-bus address, its
 * channel. Subclasses implement {@link #onMessage(Message)} for bodies of type {@code T} and answer with a future
 * of the reply body; they talk to other actors with {@link #ask}, {@link #tell}, {@link #publish} and
 * {@link #subscribe}, and may override {@link #onStart()} and {@link #onStop()}.
 *
 * <p>The runtime does the rest (see {@code actor.internal.ActorCell}): it refuses work whose deadline has passed,
 * reads the body as {@code T} ({@link BodyTypes}; a body that cannot be one is refused with 400 or 415, never a
 * crash), bounds the mailbox, answers the supervisor's liveness pings, and turns anything thrown on the actor's
 * context — by a handler, a timer, a callback — into a crash: the instance stops listening, fails what it holds
 * with {@link ActorFailures#CRASHED} and is replaced by its supervisor with a fresh object.
 *
 * <p>Event-loop confined: every method runs on the actor's own event loop, so subclass state needs no locks.
 *
 * @param <T> the body type this actor takes ({@code JsonObject}, {@code JsonArray}, {@code Buffer}, {@code String},
 *            or {@code Object} for any)
 */
public abstract class Actor<T> extends VerticleBase {

  private final Class<T> bodyType;
  private ActorBinding binding;
  private ActorCell cell;

  protected Actor(Class<T> bodyType) {
    this.bodyType = bodyType;
  }

  // ---- what an actor implements ----------------------------------------------------------------------

  /** Handles one message; the future's value is the reply body (ignored for fire-and-forget sends). */
  protected abstract Future<?> onMessage(Message<T> message);

  /** Called before the actor starts listening. A failed future is a crash ({@code start_failed}). */
  protected Future<Void> onStart() {
    return Future.succeededFuture();
  }

  /** Called when the instance is undeployed, after it stopped listening and its work in progress finished. */
  protected Future<Void> onStop() {
    return Future.succeededFuture();
  }

  // ---- who it is -------------------------------------------------------------------------------------

  public final String id() {
    return binding.id();
  }

  public final String address() {
    return binding.address();
  }

  /** The instance's wiring: id, address, instance number, node, limits. */
  protected final ActorBinding binding() {
    return binding;
  }

  /** The child's free-form {@code settings} from the config. */
  protected final JsonObject settings() {
    return binding.settings();
  }

  // ---- talking to other actors -----------------------------------------------------------------------

  /**
   * Asks another actor on behalf of {@code cause}: the request carries the same deadline (as the time left now),
   * request id and trace, and its bus timeout is the time left. A deadline that has already passed fails at once,
   * unsent.
   */
  protected final <R> Future<Message<R>> ask(Message<?> cause, String address, Object body) {
    long left = MessageHeaders.millisLeft(cell.deadlineOf(cause), binding.clock());
    if (left <= 0) {
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.DEADLINE,
          "deadline passed before asking " + address));
    }
    TraceContext trace = TraceContext.parse(MessageHeaders.traceparent(cause));
    return cell.bus().request(address, body, MessageHeaders.request(left, MessageHeaders.requestId(cause),
        trace == null ? null : trace.child().header()));
  }

  /** Asks another actor with a fresh deadline of {@code timeout} from now. */
  protected final <R> Future<Message<R>> ask(String address, Object body, Duration timeout) {
    return cell.bus().request(address, body, MessageHeaders.request(timeout.toMillis(), null, null));
  }

  /** Sends to another actor without waiting for an answer. */
  protected final void tell(String address, Object body) {
    cell.bus().send(address, body, new DeliveryOptions());
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
    return cell.listen(vertx.eventBus().<M>consumer(topic, m -> {
      if (!cell.dead()) {
        handler.handle(m);
      }
    }));
  }

  /** Milliseconds left until the message's deadline ({@link Long#MAX_VALUE} when it has none). */
  protected final long millisLeft(Message<?> message) {
    return MessageHeaders.millisLeft(cell.deadlineOf(message), binding.clock());
  }

  /** Messages accepted and not yet answered (the mailbox's fill). */
  protected final int mailboxSize() {
    return cell.mailboxSize();
  }

  // ---- ending ----------------------------------------------------------------------------------------

  /**
   * Crashes this instance on purpose: it stops listening, fails the messages it holds and is replaced by its
   * supervisor with a fresh instance.
   */
  protected final void crash(String reason) {
    cell.crash(Crash.of(CrashKind.EXPLICIT, reason));
  }

  /**
   * Ends this instance normally (not a crash): it stops listening, refuses what it holds, and its supervisor
   * replaces it only if the child is {@code permanent}.
   */
  protected final void exit() {
    cell.exit();
  }

  // ---- the runtime's side (supervisors call these) ----------------------------------------------------

  /** Wires the instance to its supervisor; called once, before deployment. */
  public final void bind(ActorBinding binding) {
    if (this.binding != null) {
      throw new IllegalStateException("actor instance already bound: instances are never reused");
    }
    this.binding = binding;
  }

  /**
   * Called by the supervisor (from its own thread) when it gave up on this instance, e.g. after it stopped
   * answering pings: stop listening and fail what it holds, on the actor's own loop.
   */
  public final void evict(String reason) {
    ActorCell c = cell;
    if (c != null) {
      c.evict(reason);
    }
  }

  @Override
  public final Future<?> start() {
    if (binding == null) {
      String address = config().getString("address");
      if (address == null) {
        throw new IllegalStateException(getClass().getName() + " deployed without a binding or an 'address' config");
      }
      binding = ActorBinding.standalone(address, address, "local");
    }
    cell = new ActorCell(binding, bodyType, new ActorCell.Behaviour() {
      @Override
      public Future<Void> onStart() {
        return Actor.this.onStart();
      }

      @Override
      @SuppressWarnings("unchecked")
      public Future<?> onMessage(Message<Object> message) {
        return Actor.this.onMessage((Message<T>) (Message<?>) message);
      }

      @Override
      public Future<Void> onStop() {
        return Actor.this.onStop();
      }
    }, vertx, context);
    return cell.start();
  }

  @Override
  public final Future<?> stop() {
    return cell == null ? Future.succeededFuture() : cell.stop();
  }
}
