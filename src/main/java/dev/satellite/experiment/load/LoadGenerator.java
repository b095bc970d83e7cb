package dev.satellite.experiment.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link LoadPlan} on a Vert.x instance the caller owns: an open model at a fixed arrival rate,
 * corrected for coordinated omission.
 *
 * <p>A periodic timer ({@value #TICK_MS} ms) sends every request the {@link ArrivalSchedule} says is due by
 * now, so a stall of the sender or the target does not thin the load out; each latency is measured from the
 * request's intended send time. At most {@code connections} HTTP/1.1 connections are pooled, at most
 * {@link LoadPlan#maxInFlight()} requests are outstanding (the rest are counted as "overflow" errors at their
 * intended time, never queued), and each request is counted as a "timeout" at its intended time plus the
 * plan's request timeout.
 *
 * <p>The first failure of each transport kind ("connect", "io") is logged once at INFO with its exception and
 * causes, and kept in {@link #firstFailures()}, so a count of "io" errors can be told apart.
 *
 * <p>Sending runs confined to one event-loop context; {@link #stop()}, {@link #window}, {@link #total},
 * {@link #timeline()}, {@link #firstFailures()} and {@link #finished()} are thread-safe.
 */
public final class LoadGenerator {

  private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

  /**
   * The period of the sending timer, in milliseconds: a request goes out at most about this late, and that
   * lateness is part of its latency.
   */
  public static final long TICK_MS = 1;

  private final Vertx vertx;
  private final Context context;
  private final LoadPlan plan;
  private final LongSupplier nanoTime;
  private final LoadRecorder recorder;
  private final Promise<Void> finished = Promise.promise();
  private final Instant startedAt;
  private final List<URI> targets;
  private final int maxInFlight;
  private final long timeoutNanos;
  private final Map<String, String> firstFailures = new ConcurrentHashMap<>();

  // confined to context
  private final ArrivalSchedule schedule;
  private HttpClientAgent client;
  private long timerId = -1;
  private int inFlight;
  private int acquiring; // requests waiting for a pooled connection
  private boolean clientClosed;
  private boolean sending = true;
  private boolean done;

  private LoadGenerator(Vertx vertx, LoadPlan plan, LongSupplier nanoTime, Clock clock) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.plan = plan;
    this.nanoTime = nanoTime;
    this.targets = plan.targets();
    this.maxInFlight = plan.maxInFlight();
    this.timeoutNanos = plan.requestTimeout().toNanos();
    this.startedAt = clock.instant();
    long start = nanoTime.getAsLong();
    this.recorder = new LoadRecorder(start);
    this.schedule = new ArrivalSchedule(start, plan.ratePerSecond(), plan.duration().toNanos());
  }

  /**
   * Starts sending at once on {@code vertx} (non-clustered, owned by the caller): on the calling context when
   * called from one (its timers end if that verticle is undeployed), else on a new event-loop context.
   */
  public static LoadGenerator start(Vertx vertx, LoadPlan plan) {
    return start(vertx, plan, System::nanoTime, Clock.systemUTC());
  }

  /**
   * As {@link #start(Vertx, LoadPlan)}, reading time from {@code nanoTime} and the start instant from
   * {@code clock}.
   */
  static LoadGenerator start(Vertx vertx, LoadPlan plan, LongSupplier nanoTime, Clock clock) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(plan, "plan");
    LoadGenerator generator = new LoadGenerator(vertx, plan, nanoTime, clock);
    generator.context.runOnContext(v -> generator.begin());
    return generator;
  }

  /**
   * Completes when the duration is over (or {@link #stop()} was called) and every request was answered or
   * timed out.
   */
  public Future<Void> finished() {
    return finished.future();
  }

  /**
   * The first failure of each transport kind seen so far ("connect", "io"; a timeout is the generator's own
   * deadline), as the exception's class and message and those of its causes. Thread-safe.
   */
  public Map<String, String> firstFailures() {
    return Map.copyOf(firstFailures);
  }

  /** Stops sending now; requests in flight still end (answered or timed out). Idempotent. */
  public void stop() {
    context.runOnContext(v -> stopSending());
  }

  /** Statistics over the last {@code last} (whole seconds, sliding), for probes and safeguards. */
  public LoadWindow window(Duration last) {
    Objects.requireNonNull(last, "last");
    return recorder.window(nanoTime.getAsLong(), last);
  }

  /** Statistics over the whole run so far. */
  public LoadWindow total() {
    return recorder.total(nanoTime.getAsLong());
  }

  /**
   * Per-second entries {@code {t, sent, ok, errors, byStatus, throughput, errorRate, p50, p99}} by intended send
   * time, {@code t} in whole seconds from {@link #startedAt()}.
   */
  public JsonArray timeline() {
    return recorder.timeline();
  }

  /** The time the run covers so far: from the start to now, or to the last answer once finished. */
  public Duration elapsed() {
    return Duration.ofNanos(recorder.elapsedNanos(nanoTime.getAsLong()));
  }

  /** The wall-clock time of second 0 of {@link #timeline()}. */
  public Instant startedAt() {
    return startedAt;
  }

  /** The plan this generator runs. */
  public LoadPlan plan() {
    return plan;
  }

  private void begin() {
    client = vertx.createHttpClient(
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setKeepAlive(true)
            .setConnectTimeout((int) Math.max(1, plan.requestTimeout().toMillis())),
        new PoolOptions().setHttp1MaxSize(plan.connections()).setMaxWaitQueueSize(maxInFlight));
    if (!sending) { // stopped before the context ran us
      maybeFinish();
      return;
    }
    tick();
    if (sending) {
      timerId = vertx.setPeriodic(TICK_MS, id -> tick());
    }
  }

  private void tick() {
    if (!sending) {
      return;
    }
    long now = nanoTime.getAsLong();
    int due = schedule.due(now);
    for (int i = 0; i < due; i++) {
      long index = schedule.taken();
      long intended = schedule.take();
      recorder.sent(intended);
      if (inFlight >= maxInFlight) {
        recorder.ended(intended, intended, Outcome.OVERFLOW);
      } else {
        send(targets.get((int) (index % targets.size())), intended, now);
      }
    }
    if (schedule.exhausted()) {
      stopSending();
    }
  }

  private void send(URI target, long intended, long now) {
    inFlight++;
    Attempt attempt = new Attempt(intended);
    long remainingMs = Math.max(1, (intended + timeoutNanos - now + 999_999) / 1_000_000);
    attempt.deadline = vertx.setTimer(remainingMs, id -> {
      attempt.deadline = -1;
      end(attempt, Outcome.TIMEOUT);
    });
    // The connect timeout also bounds the wait for a pooled connection, so a request whose time is up leaves the
    // pool's queue without taking one. A request that times out once sent is not reset: on HTTP/1.1 a reset closes
    // the connection, and when a cold or starved target makes the queue wait near the timeout, closing one
    // connection per timeout turned them all over and the run answered almost nothing while the target idled. It
    // is counted as a timeout at its deadline and keeps its connection until answered, for at most one more timeout.
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(target.toString())
        .setConnectTimeout(remainingMs)
        .setTimeout(remainingMs + timeoutNanos / 1_000_000);
    acquiring++;
    client.request(options)
        .andThen(ar -> {
          acquiring--;
          closeClientWhenIdle();
        })
        .compose(request -> {
          request.exceptionHandler(failure -> {
            // the outcome is read from send() below; without a handler Vert.x logs every failure as an ERROR
          });
          if (attempt.ended) {
            // handed a connection in the instant its time ran out: a reset of an unsent HTTP/1.1 request can
            // leave the connection taken, so close it rather than let the pool run dry
            request.connection().close();
            return Future.failedFuture("abandoned");
          }
          return request.send().compose(response -> response.body().map(body -> response.statusCode()));
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            end(attempt, Outcome.ofStatus(ar.result()));
          } else {
            Outcome outcome = Outcome.ofFailure(ar.cause());
            if (end(attempt, outcome)) {
              keepFirst(outcome, target, ar.cause());
            }
          }
        });
  }

  private void keepFirst(Outcome outcome, URI target, Throwable failure) {
    if (outcome.equals(Outcome.TIMEOUT)) {
      return; // its own deadline, nothing to tell
    }
    String chain = chain(failure);
    if (firstFailures.putIfAbsent(outcome.key(), chain) == null) {
      LOG.info("load: the first '{}' failure, of a request to {}: {}", outcome.key(), target, chain);
    }
  }

  /** The failure and its causes, outermost first: "class: message <- class: message". */
  static String chain(Throwable failure) {
    StringBuilder s = new StringBuilder();
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 5; t = t.getCause() == t ? null : t.getCause(), depth++) {
      s.append(depth == 0 ? "" : " <- ").append(t);
    }
    return s.toString();
  }

  /** @return true if this ended the attempt, false if it had already ended */
  private boolean end(Attempt attempt, Outcome outcome) {
    if (attempt.ended) {
      return false;
    }
    attempt.ended = true;
    if (attempt.deadline != -1) {
      vertx.cancelTimer(attempt.deadline);
    }
    inFlight--;
    recorder.ended(attempt.intended, nanoTime.getAsLong(), outcome);
    maybeFinish();
    return true;
  }

  private void stopSending() {
    if (!sending) {
      return;
    }
    sending = false;
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    maybeFinish();
  }

  private void maybeFinish() {
    if (sending || inFlight > 0 || done) {
      return;
    }
    done = true;
    recorder.end(nanoTime.getAsLong());
    finished.tryComplete();
    closeClientWhenIdle();
  }

  /**
   * Closes the client once the run is done and no request still waits for a connection (those end at their
   * connect timeout): closing the pool under a waiter whose timeout is due trips Vert.x 5.0.7's pool.
   */
  private void closeClientWhenIdle() {
    if (!done || acquiring > 0 || clientClosed || client == null) {
      return;
    }
    clientClosed = true;
    client.close();
  }

  /** One request on its way. Confined to the generator's context. */
  private static final class Attempt {
    final long intended;
    long deadline = -1;
    boolean ended;

    Attempt(long intended) {
      this.intended = intended;
    }
  }
}
