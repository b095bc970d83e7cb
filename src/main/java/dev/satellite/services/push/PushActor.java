package dev.satellite.services.push;

import dev.satellite.actor.Actor;
import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.BodyTypes;
import dev.satellite.actor.MessageHeaders;
import dev.satellite.actor.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Publishes to a topic ({@code POST /push/:topic}): the body — JSON, or text of any other type — is appended to the
 * topic's history, and the answer {@code 202 {"topic","id"}} is sent only once the append succeeded (clustered: on
 * the ringbuffer's owner and its synchronous backup). A bad topic name is 400, an empty body 400, a body over
 * {@code push.maxMessageSize} bytes 413, a new topic past {@code push.maxTopics} 503.
 *
 * <p>Event-loop confined; the histories are in the node's {@link Push} service.
 */
public final class PushActor extends Actor<Object> {

  private Push push;

  public PushActor() {
    super(Object.class);
  }

  @Override
  protected Future<Void> onStart() {
    push = Push.of(vertx);
    return Future.succeededFuture();
  }

  @Override
  protected Future<?> onMessage(Message<Object> message) {
    String topic = MessageHeaders.param(message, "topic");
    if (!Topics.valid(topic)) {
      return Future.failedFuture(new BodyTypes.BadBody(ActorFailures.BAD_REQUEST, Topics.rule(topic)));
    }
    Object body = message.body();
    String stored;
    int size;
    if (body == null) {
      return Future.failedFuture(new BodyTypes.BadBody(ActorFailures.BAD_REQUEST, "The body is empty: nothing to publish."));
    } else if (body instanceof Buffer bytes) {
      size = bytes.length();
      stored = Messages.text(bytes.toString(StandardCharsets.UTF_8));
    } else if (body instanceof String text) {
      stored = Messages.text(text);
      size = text.getBytes(StandardCharsets.UTF_8).length;
    } else {
      String encoded = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode() : Json.encode(body);
      stored = Messages.json(encoded);
      size = encoded.getBytes(StandardCharsets.UTF_8).length;
    }
    if (size > push.settings.maxMessageSize()) {
      return Future.failedFuture(new BodyTypes.BadBody(413, "The message is " + size + " bytes; push.maxMessageSize is "
          + push.settings.maxMessageSize() + "."));
    }
    if (!push.admitTopic(topic)) {
      return Future.failedFuture(new io.vertx.core.eventbus.ReplyException(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE,
          503, "This node serves " + push.settings.maxTopics() + " topics already (push.maxTopics)."));
    }
    return push.store.append(topic, stored, context).map(id -> {
      push.published(topic);
      return Reply.accepted(new JsonObject().put("topic", topic).put("id", id.toString()));
    });
  }
}
