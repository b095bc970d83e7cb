package dev.satellite.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in the plain form the experiment code works with (maps, lists, strings, numbers, booleans, null), and the
 * way from it to Vert.x's {@link JsonObject} for the journal.
 *
 * <p>Thread-safe: the mapper is.
 */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {
  }

  /** Parses JSON text into plain values; throws IllegalArgumentException when it does not parse. */
  public static Object parse(String text) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  /** A deep copy of a plain value as Vert.x JSON types (JsonObject/JsonArray inside). */
  public static Object toVertx(Object v) {
    if (v instanceof Map<?, ?> m) {
      JsonObject o = new JsonObject();
      m.forEach((k, x) -> o.put(String.valueOf(k), toVertx(x)));
      return o;
    }
    if (v instanceof List<?> l) {
      JsonArray a = new JsonArray();
      l.forEach(x -> a.add(toVertx(x)));
      return a;
    }
    if (v instanceof JsonObject || v instanceof JsonArray || v == null || v instanceof String || v instanceof Number
        || v instanceof Boolean) {
      return v;
    }
    return String.valueOf(v);
  }

  /** A deep copy of a map as a JsonObject. */
  public static JsonObject object(Map<String, Object> map) {
    return (JsonObject) toVertx(map);
  }

  /** A deep copy as plain maps and lists. */
  public static Object plain(Object v) {
    if (v instanceof JsonObject o) {
      return plain(o.getMap());
    }
    if (v instanceof JsonArray a) {
      return plain(a.getList());
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(plain(x)));
      return out;
    }
    return v;
  }
}
