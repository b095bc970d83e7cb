package dev.satellite.services.push;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Opens a subscription for a route whose target is {@code stream: push}: {@code GET /push/:topic} as Server-Sent
 * Events (resume from {@code Last-Event-ID}, or {@code ?since=}), {@code GET /push/:topic/ws} as a WebSocket (resume
 * from {@code ?since=}). Refusals are returned for the gateway to answer as problem+json: a bad topic name or id 400, a request to
 * the WebSocket path that is not a WebSocket handshake 426 ({@code Upgrade: websocket}), {@code push.maxSubscribers} reached
 * 503 with {@code Retry-After} (subscriptions are bounded by that, not by {@code push.maxTopics}, which publishing
 * spends). A stream ends when the client leaves, when it is
 * too slow, or when the node shuts its connection down (the connection's shutdown closes it at once, so a drain does
 * not wait for streams).
 *
 * <p>Thread-safe: stateless; each stream is confined to its connection's event loop.
 */
public final class PushStreams {

  static final String LAST_EVENT_ID = "Last-Event-ID";
  /** HTTP/2's CANCEL error code (RFC 9113 section 7): the stream is no longer needed. */
  private static final long CANCEL = 0x8;

  private PushStreams() {
  }

  /** Why a stream was not opened: the answer's status, problem type slug, title, detail, and Retry-After (0: none). */
  public record Refusal(int status, String type, String title, String detail, long retryAfter) {
  }

  /**
   * Opens the stream the request asks for.
   *
   * @return null when the stream is open (or its WebSocket upgrade under way), else why not (nothing was answered)
   */
  public static Refusal open(Vertx vertx, RoutingContext ctx) {
    Push push = Push.of(vertx);
    String topic = ctx.pathParam("topic");
    if (!Topics.valid(topic)) {
      return new Refusal(400, "bad-topic", "Bad Request", Topics.rule(topic), 0);
    }
    boolean websocket = ctx.request().path().endsWith("/ws");
    EventId since = null;
    String sinceText = ctx.request().getParam("since");
    String field = "since";
    if (sinceText == null && !websocket) {
      sinceText = ctx.request().getHeader(LAST_EVENT_ID);
      field = LAST_EVENT_ID;
    }
    if (sinceText != null && !sinceText.isBlank()) {
      since = EventId.parse(sinceText);
      if (since == null) {
        return new Refusal(400, "bad-event-id", "Bad Request", "'" + field
            + "' must be an event id 'epoch:sequence' as the stream sent it, got '" + clip(sinceText) + "'.", 0);
      }
    }
    if (websocket && !ctx.request().canUpgradeToWebSocket()) {
      if (ctx.request().version() != HttpVersion.HTTP_2) { // HTTP/2 has no Upgrade header
        ctx.response().putHeader(HttpHeaders.UPGRADE, "websocket");
      }
      return new Refusal(426, "websocket-upgrade-required", "Upgrade Required", "'" + ctx.request().path()
          + "' is a WebSocket: send an HTTP/1.1 GET with 'Upgrade: websocket' (GET /push/" + topic
          + " streams the topic as Server-Sent Events).", 0);
    }
    if (ctx.request().method() == HttpMethod.HEAD) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8").end();
      return null;
    }
    if (!push.enterSubscriber()) {
      return new Refusal(503, "too-many-subscribers", "Service Unavailable", "This node has "
          + push.settings.maxSubscribers() + " subscribers already (push.maxSubscribers).", 1);
    }
    Context context = vertx.getOrCreateContext();
    HttpConnection connection = ctx.request().connection();
    int buffer = push.settings.subscriberBuffer();
    EventId from = since;
    if (websocket) {
      ctx.request().toWebSocket().onComplete(ar -> {
        if (ar.failed()) {
          push.exitSubscriber(); // the handshake failed (a bad version or key): vertx-web has answered it
          return;
        }
        Subscriber s = new Subscriber(push, topic, from, new WebSocketSink(ar.result(), buffer, connection::close), context);
        connection.shutdownHandler(v -> s.close("shutdown"));
        s.start();
      });
      return null;
    }
    // a slow stream must not cost its neighbours: on HTTP/2 (h2c) only its stream is reset (CANCEL), as one connection
    // may carry many clients' streams (a proxy in front); on HTTP/1.1 the connection is the stream
    Runnable drop = ctx.request().version() == HttpVersion.HTTP_2 ? () -> ctx.response().reset(CANCEL)
        : connection::close;
    Subscriber s = new Subscriber(push, topic, from, new SseSink(ctx.response(), buffer, drop), context);
    connection.shutdownHandler(v -> s.close("shutdown"));
    s.start();
    return null;
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
