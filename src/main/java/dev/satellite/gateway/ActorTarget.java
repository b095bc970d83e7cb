package dev.satellite.gateway;

import dev.satellite.cluster.BusRouter;
import dev.satellite.edge.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A route's actor: the request body goes to the actor's address (JSON bodies as {@code JsonObject}, others as
 * {@code Buffer}); the reply is written as
 * {@code text/plain} (a string), {@code application/json} (a JSON object) or
 * {@code application/octet-stream} (bytes).
 *
 * <p>Thread-safe: immutable.
 */
final class ActorTarget {

  private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain; charset=utf-8");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence BYTES = HttpHeaders.createOptimized("application/octet-stream");

  private final String address;
  private final BusRouter bus;

  ActorTarget(String address, BusRouter bus) {
    this.address = address;
    this.bus = bus;
  }

  String address() {
    return address;
  }

  BusRouter bus() {
    return bus;
  }

  /** The message body for this request: null without a body, a JSON object for JSON, else the bytes. */
  Object body(RoutingContext ctx) throws DecodeException {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      return null;
    }
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || type.startsWith("application/json") || type.endsWith("+json")) {
      return new JsonObject(buffer);
    }
    return buffer;
  }

  void write(RoutingContext ctx, Object body) {
    HttpServerResponse response = ctx.response();
    if (body == null) {
      response.end();
    } else if (body instanceof String text) {
      response.headers().add(HttpHeaders.CONTENT_TYPE, TEXT);
      response.end(text);
    } else if (body instanceof JsonObject json) {
      response.headers().add(HttpHeaders.CONTENT_TYPE, JSON);
      response.end(json.toBuffer());
    } else if (body instanceof Buffer bytes) {
      response.headers().add(HttpHeaders.CONTENT_TYPE, BYTES);
      response.end(bytes);
    } else {
      response.headers().add(HttpHeaders.CONTENT_TYPE, TEXT);
      response.end(String.valueOf(body));
    }
  }

  static Outcome outcomeOf(int status) {
    if (status == 504) {
      return Outcome.TIMEOUT;
    }
    if (status == 503) {
      return Outcome.ACTOR_UNAVAILABLE;
    }
    return status < 500 ? Outcome.CLIENT_ERROR : Outcome.ACTOR_ERROR;
  }
}
