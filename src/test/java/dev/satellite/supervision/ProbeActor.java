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
 * throws later from a timer on its context; {@code thread} → the name of the thread it runs on; {@code late} →
 * answers after 300 ms. Settings: {@code failStart}/{@code hangStart}: the start numbers (counted per {@code key}
 * setting across instances) whose start fails or never finishes; {@code needs}: an address it asks once in
 * {@code onStart}, failing its start when nobody answers.
 */
public class ProbeActor extends Actor<Object> {

  public ProbeActor() {
    super(Object.class);
  }

  static final Map<String, AtomicInteger> STARTS = new ConcurrentHashMap<>();
  /** Ids of the instances that started, in the order they did (any instance, any test). */
  static final java.util.List<String> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Messages this class worked on (any instance): a refused message never counts. */
  public static final AtomicInteger HANDLED = new AtomicInteger();

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
    String needs = binding().settings().getString("needs");
    Future<Void> ready = needs == null ? Future.succeededFuture()
        // a sibling this actor cannot start without: asked once, a start that finds nobody there fails
        : vertx.eventBus().request(needs, "who", new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(1000)).mapEmpty();
    return ready.onSuccess(v -> STARTED.add(id()));
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
