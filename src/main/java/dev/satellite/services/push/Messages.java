package dev.satellite.services.push;

import io.vertx.core.json.JsonObject;

/**
 * How a published message is kept in a history: its text with one leading character for its kind — {@code j} a
 * JSON value (the body of an {@code application/json} publish, kept as sent), {@code t} text. Subscribers get it
 * back as it was published: the text as SSE {@code data}, and in a WebSocket frame as JSON or a string.
 *
 * <p>Thread-safe: stateless.
 */
final class Messages {

  private Messages() {
  }

  static String json(String encoded) {
    return "j" + encoded;
  }

  static String text(String text) {
    return "t" + text;
  }

  static boolean isJson(String stored) {
    return !stored.isEmpty() && stored.charAt(0) == 'j';
  }

  /** The message as published. */
  static String body(String stored) {
    return stored.isEmpty() ? "" : stored.substring(1);
  }

  /** A WebSocket frame: {@code {"type":"message","id":…,"data":…}} with JSON data as JSON, text as a string. */
  static String frame(EventId id, String stored) {
    String body = body(stored);
    String data = isJson(stored) ? body : io.vertx.core.json.Json.encode(body);
    return "{\"type\":\"message\",\"id\":\"" + id + "\",\"data\":" + data + "}";
  }

  /** The payload of a reset event. */
  static JsonObject reset(String reason, EventId since, EventId from) {
    return new JsonObject().put("type", "reset").put("reason", reason).put("recovered", false)
        .put("since", since == null ? null : since.toString()).put("id", from.toString());
  }
}
