package dev.satellite.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An RFC 9457 problem detail, the body of every error the node itself answers
 * ({@code application/problem+json}). Carries the node id, the request id and the trace id so an operator can
 * find the matching log lines, here and on the other hops.
 *
 * <p>Immutable; thread-safe.
 */
public record Problem(String type, String title, int status, String detail) {

  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://satellite.dev/problems/";

  /** A problem whose {@code type} is {@code https://satellite.dev/problems/<slug>}. */
  public static Problem of(String slug, String title, int status, String detail) {
    return new Problem(TYPE_BASE + slug, title, status, detail);
  }

  public JsonObject toJson(String nodeId, String requestId, String instance) {
    return toJson(nodeId, requestId, instance, null);
  }

  public JsonObject toJson(String nodeId, String requestId, String instance, String traceId) {
    JsonObject json = new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("node", nodeId);
    if (instance != null) {
      json.put("instance", instance);
    }
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    if (traceId != null) {
      json.put("traceId", traceId);
    }
    return json;
  }

  /** Ends the exchange with this problem, unless a response was already sent. */
  public void send(RoutingContext ctx, String nodeId) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    String body = toJson(nodeId, RequestIds.of(ctx), ctx.request().path(), RequestTraces.of(ctx).traceId()).encode();
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .end(body);
  }
}
