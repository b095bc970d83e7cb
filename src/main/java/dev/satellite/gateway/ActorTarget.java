package dev.satellite.gateway;

import dev.satellite.actor.BodyTypes;
import dev.satellite.actor.Reply;
import dev.satellite.cluster.BusRouter;
import dev.satellite.edge.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A route's actor: the request body goes to the actor's address — parsed JSON when the request declares JSON
 * ({@code application/json}, {@code +json}: a body that does not parse is the client's 400 here), else the bytes
 * with their media type, which the actor reads as the type it takes ({@link BodyTypes}). The reply is written as
 * {@code text/plain} (a string), {@code application/json} (JSON) or {@code application/octet-stream} (bytes).
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

  /** The message body for this request: null without a body; parsed JSON when declared so; else the bytes. */
  Object body(RoutingContext ctx) {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null) {
      return null;
    }
    if (!BodyTypes.declaresJson(contentType(ctx))) {
      return buffer;
    }
    if (buffer.length() == 0) {
      throw new BodyTypes.BadBody(400, "The body is empty, though its Content-Type says JSON.");
    }
    try {
      return Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new BodyTypes.BadBody(400, "The body is not valid JSON: " + BodyTypes.parseError(e));
    }
  }

  static String contentType(RoutingContext ctx) {
    return ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
  }

  /**
   * Writes the actor's reply with the status and headers of a {@link Reply} (else 200); to a {@code HEAD} request,
   * the same head (its length included) without the body.
   */
  void write(RoutingContext ctx, Message<?> reply) {
    HttpServerResponse response = ctx.response();
    response.setStatusCode(Reply.status(reply));
    Reply.headers(reply).forEach(response::putHeader);
    Object body = reply.body();
    if (body == null) {
      response.end();
      return;
    }
    Buffer bytes;
    if (body instanceof String text) {
      response.headers().add(HttpHeaders.CONTENT_TYPE, TEXT);
      bytes = Buffer.buffer(text);
    } else if (body instanceof JsonObject json) {
      response.headers().add(HttpHeaders.CONTENT_TYPE, JSON);
      bytes = json.toBuffer();
    } else if (body instanceof JsonArray json) {
      response.headers().add(HttpHeaders.CONTENT_TYPE, JSON);
      bytes = json.toBuffer();
    } else if (body instanceof Buffer b) {
      response.headers().add(HttpHeaders.CONTENT_TYPE, BYTES);
      bytes = b;
    } else {
      response.headers().add(HttpHeaders.CONTENT_TYPE, TEXT);
      bytes = Buffer.buffer(String.valueOf(body));
    }
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(bytes.length())).end();
    } else {
      response.end(bytes);
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
