package dev.satellite.supervision;

import dev.satellite.actor.Actor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test actor that misbehaves on request. Messages (strings): {@code who} → its identity; {@code trace} →
 * the request id, time-left and trace headers it received and the time it has left; {@code boom} →
 * throws in the handler; {@code crash} → explicit crash; {@code hold} → never answers; {@code timer-boom} →
 * throws later from a timer on its context; {@code thread} → the name of the thread it runs on. Setting {@code failStart}/{@code hangStart}: the start numbers
 * (counted per {@code key} setting across instances) whose start fails or never finishes.
 */
public class ProbeActor extends Actor<Object> {

  public ProbeActor() {
    super(Object.class);
  }

  static final Map<String, AtomicInteger> STARTS = new ConcurrentHashMap<>();
  /** Messages this class worked on (any instance): a refused message never counts. */
  static final AtomicInteger HANDLED = new AtomicInteger();

  @Override
  protected Future<Void> onStart() {
    String key = binding().settings().getString("key", "default");
    int n = STARTS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    if (binding().settings().getJsonArray("failStart", new io.vertx.core.json.JsonArray()).contains(n)) {
      return Future.failedFuture("start number " + n + " fails on purpose");
    }
    if (binding().settings().getJsonArray("hangStart", new io.vertx.core.json.JsonArray()).contains(n)) {
      return Promise.<Void>promise().future();
    }
    return Future.succeededFuture();
  }

  @Override
  protected Future<?> onMessage(Message<Object> message) {
    String body = String.valueOf(message.body());
    switch (body) {
      case "boom":
        throw new IllegalStateException("boom");
      case "crash":
        crash("asked to crash");
        return Promise.promise().future();
      case "hold":
        return Promise.promise().future();
      case "late":
        // answers after 300 ms, whatever the deadline
        Promise<Object> late = Promise.promise();
        vertx.setTimer(300, t -> late.complete("late"));
        return late.future();
      case "trace":
        return Future.succeededFuture(new io.vertx.core.json.JsonObject()
            .put("requestId", message.headers().get(dev.satellite.actor.MessageHeaders.REQUEST_ID))
            .put("timeLeft", message.headers().get(dev.satellite.actor.MessageHeaders.TIMEOUT))
            .put("traceparent", message.headers().get(dev.satellite.actor.MessageHeaders.TRACEPARENT))
            .put("millisLeft", millisLeft(message))
            .put("handled", HANDLED.incrementAndGet()));
      case "thread":
        return Future.succeededFuture(Thread.currentThread().getName());
      case "timer-boom":
        vertx.setTimer(1, t -> {
          throw new IllegalStateException("boom from a timer");
        });
        return Future.succeededFuture("armed");
      default:
        HANDLED.incrementAndGet();
        return Future.succeededFuture(id() + "#" + binding().instance() + "@" + System.identityHashCode(this));
    }
  }
}
