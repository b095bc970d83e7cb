package dev.satellite.actor;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * An actor: a verticle that owns its state and is reached only by messages on one event-bus address,
 * its channel. Subclasses implement {@link #onMessage(Message)} and answer with a future of the reply
 * body; the base registers the consumer, replies, and turns a failed future into a reply failure.
 *
 * <p>Event-loop confined: every method runs on the actor's own event loop, so subclass state needs no
 * synchronisation.
 */
public abstract class Actor extends VerticleBase {

  /** Config key (deployment config) of the address the actor listens on. */
  public static final String ADDRESS = "address";
  /** Failure code of a reply failure produced by a failed {@link #onMessage} future. */
  public static final int APPLICATION_FAILURE = 500;

  private MessageConsumer<Object> consumer;

  /** The address this actor listens on. */
  public String address() {
    return config().getString(ADDRESS);
  }

  @Override
  public final Future<?> start() throws Exception {
    return onStart().compose(v -> {
      consumer = vertx.eventBus().consumer(address(), this::dispatch);
      return consumer.completion();
    });
  }

  @Override
  public final Future<?> stop() throws Exception {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.compose(v -> onStop());
  }

  private void dispatch(Message<Object> msg) {
    Future<?> reply = onMessage(msg);
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        if (msg.replyAddress() != null) {
          msg.reply(ar.result());
        }
      } else {
        Throwable cause = ar.cause();
        if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
          msg.fail(re.failureCode(), re.getMessage());
        } else {
          msg.fail(APPLICATION_FAILURE, String.valueOf(cause.getMessage()));
        }
      }
    });
  }

  /** Called before the actor starts listening. */
  protected Future<Void> onStart() {
    return Future.succeededFuture();
  }

  /** Called after the actor stopped listening. */
  protected Future<Void> onStop() {
    return Future.succeededFuture();
  }

  /** Handles one message; the future's value is the reply body (ignored for fire-and-forget sends). */
  protected abstract Future<?> onMessage(Message<Object> message);
}
