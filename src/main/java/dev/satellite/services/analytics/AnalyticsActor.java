package dev.satellite.services.analytics;

import dev.satellite.actor.Actor;
import dev.satellite.actor.BodyTypes;
import dev.satellite.actor.MessageHeaders;
import dev.satellite.actor.Reply;
import dev.satellite.config.Durations;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Analytics ingestion and stats: {@code POST /events} (a message without a {@code name} path parameter) adds an event
 * or a batch to the counts of their names and answers {@code 202 {"accepted": n, "replay": false}} once every count
 * is applied; {@code GET /stats/{name}} answers the name's count, sum and per-minute counts. The counts live in the
 * node's {@link AnalyticsStore}, never in the actor, so a crashed instance loses nothing acknowledged.
 *
 * <p>With an {@code Idempotency-Key}, each name of the batch is applied at most once per key within
 * {@code idempotencyTtl}: a retry applies only what the first try did not reach, and answers {@code "replay": true}
 * (and {@code Idempotent-Replayed: true}) when the key had been seen. A key is bound to the body it first came with:
 * the same key with another body is refused with 422 before anything is applied. A store failure answers 503:
 * nothing or part of the batch may be applied, and a retry with the same key completes it.
 *
 * <p>Settings (filled in from the {@code analytics:} config section): {@code maxBatch}, {@code idempotencyTtl},
 * {@code maxNameLength}.
 *
 * <p>Event-loop confined; the store is thread-safe.
 */
public final class AnalyticsActor extends Actor<Object> {

  public static final String REPLAYED_HEADER = "Idempotent-Replayed";
  static final int MAX_KEY_LENGTH = 255;

  private AnalyticsStore store;
  private Clock clock;
  private int maxBatch;
  private long ttlMs;
  private int maxNameLength;
  private Counter applied;
  private Counter replayed;
  private Counter rejected;
  private Counter storeFailures;

  public AnalyticsActor() {
    super(Object.class);
  }

  @Override
  protected Future<Void> onStart() {
    maxBatch = settings().getInteger("maxBatch", 1000);
    ttlMs = Durations.parse(settings().getString("idempotencyTtl", "10m")).toMillis();
    maxNameLength = settings().getInteger("maxNameLength", 128);
    clock = binding().clock();
    store = AnalyticsStore.of(vertx);
    MeterRegistry registry = binding().meters().registry();
    applied = Counter.builder(MetricNames.ANALYTICS_EVENTS).description("Events of acknowledged requests")
        .tag("result", "applied").register(registry);
    replayed = Counter.builder(MetricNames.ANALYTICS_EVENTS).description("Events of acknowledged requests")
        .tag("result", "replayed").register(registry);
    rejected = Counter.builder(MetricNames.ANALYTICS_REJECTED).description("Event requests refused as invalid")
        .register(registry);
    storeFailures = Counter.builder(MetricNames.ANALYTICS_STORE_FAILURES)
        .description("Event requests answered 503 because the store failed").register(registry);
    return Future.succeededFuture();
  }

  @Override
  protected Future<?> onMessage(Message<Object> message) {
    String name = MessageHeaders.param(message, "name");
    long now = clock.millis();
    try {
      if (name != null) {
        Batch.checkName(name, "name", maxNameLength);
        return store.stats(name, now, context);
      }
      Object body = json(message.body());
      Batch batch = Batch.parse(body, maxBatch, maxNameLength, now);
      String key = key(MessageHeaders.idempotencyKey(message));
      if (key == null) {
        return ingest(batch, null, now);
      }
      return store.claim(key, fingerprint(body), now, ttlMs, context).compose(sameRequest -> {
        if (!sameRequest) {
          rejected.increment();
          return Future.failedFuture(new BodyTypes.BadBody(422, "Idempotency-Key: '" + key + "' was used for a"
              + " different request body within analytics.idempotencyTtl; nothing of this one was applied (a new"
              + " request needs a new key)"));
        }
        return ingest(batch, key, now);
      }, failed -> storeFailed(key, failed));
    } catch (BodyTypes.BadBody bad) { // the client's mistake: a 400 naming the field, nothing applied, no crash
      if (name == null) {
        rejected.increment();
      }
      return Future.failedFuture(bad);
    }
  }

  private Future<Reply> ingest(Batch batch, String key, long now) {
    List<Future<Boolean>> adds = new ArrayList<>(batch.byName().size());
    for (Map.Entry<String, Delta> e : batch.byName().entrySet()) {
      adds.add(store.add(e.getKey(), e.getValue(), key, now, ttlMs, context));
    }
    return Future.join(adds).transform(ar -> {
      if (ar.failed()) {
        return storeFailed(key, ar.cause());
      }
      boolean replay = false;
      int i = 0;
      for (Delta delta : batch.byName().values()) {
        boolean fresh = adds.get(i++).result();
        (fresh ? applied : replayed).increment(delta.count());
        replay |= !fresh;
      }
      JsonObject body = new JsonObject().put("accepted", batch.events()).put("replay", replay);
      return Future.succeededFuture(new Reply(body, 202, replay ? Map.of(REPLAYED_HEADER, "true") : Map.of()));
    });
  }

  private <T> Future<T> storeFailed(String key, Throwable cause) {
    storeFailures.increment();
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503,
        "not every count of the batch could be applied (" + cause.getMessage() + "); some may be: send it again"
            + (key == null ? "" : " with the same Idempotency-Key") + " to complete it"));
  }

  /** A digest of the request's body as JSON (so spacing does not matter, the order of fields and events does). */
  static String fingerprint(Object json) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.encode(json).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String key(String key) {
    if (key == null) {
      return null;
    }
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw Batch.bad("Idempotency-Key: must be 1-" + MAX_KEY_LENGTH + " visible ASCII characters");
    }
    return key;
  }

  /** The body as JSON: bytes or text sent without a JSON media type are parsed here. */
  private static Object json(Object body) {
    if (body instanceof Buffer || body instanceof String) {
      String text = body instanceof Buffer b ? b.toString() : (String) body;
      try {
        return Json.decodeValue(text);
      } catch (DecodeException e) {
        throw Batch.bad("events: the body is not JSON: " + BodyTypes.parseError(e));
      }
    }
    return body;
  }
}
