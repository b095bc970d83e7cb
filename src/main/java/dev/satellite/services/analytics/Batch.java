package dev.satellite.services.analytics;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.BodyTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's events, checked as a whole before anything is applied: one event object or an array of at most
 * {@code maxBatch} of them, each {@code {"name": <name>, "value": <number, default 1>, "ts": <epoch ms, default
 * now>}} and nothing else. The first mistake refuses the whole request (400) naming the field and, in a batch, the
 * index: {@code events[3].value: must be a number}. What passes is grouped into one {@link Delta} per name.
 *
 * <p>Immutable once parsed; thread-safe.
 */
public final class Batch {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");
  private static final Set<String> FIELDS = Set.of("name", "value", "ts");
  /** How far ahead of the node's clock an event's {@code ts} may be (clients' clocks run a little ahead). */
  static final long MAX_AHEAD_MS = 5 * 60_000;

  private final int events;
  private final Map<String, Delta> byName;

  private Batch(int events, Map<String, Delta> byName) {
    this.events = events;
    this.byName = byName;
  }

  /** Events in the request. */
  public int events() {
    return events;
  }

  /** The request's events grouped by name, in the order each name first appears. */
  public Map<String, Delta> byName() {
    return byName;
  }

  /**
   * Parses and checks a request body.
   *
   * @throws BodyTypes.BadBody (400) naming the first field at fault
   */
  public static Batch parse(Object body, int maxBatch, int maxNameLength, long now) {
    Map<String, Delta.Builder> builders = new LinkedHashMap<>();
    int n;
    if (body instanceof JsonObject event) {
      add(event, "", maxNameLength, now, builders);
      n = 1;
    } else if (body instanceof JsonArray array) {
      if (array.isEmpty()) {
        throw bad("events: the batch is empty; send one event or an array of 1 to " + maxBatch);
      }
      if (array.size() > maxBatch) {
        throw bad("events: the batch has " + array.size() + " events, more than the " + maxBatch + " allowed");
      }
      for (int i = 0; i < array.size(); i++) {
        Object item = array.getValue(i);
        String at = "events[" + i + "]";
        if (!(item instanceof JsonObject event)) {
          throw bad(at + ": must be an event object, got " + kind(item));
        }
        add(event, at + ".", maxNameLength, now, builders);
      }
      n = array.size();
    } else {
      throw bad("events: the body must be an event object or an array of them, got " + kind(body));
    }
    Map<String, Delta> byName = new LinkedHashMap<>();
    builders.forEach((name, b) -> byName.put(name, b.build()));
    return new Batch(n, java.util.Collections.unmodifiableMap(byName));
  }

  private static void add(JsonObject event, String at, int maxNameLength, long now, Map<String, Delta.Builder> into) {
    for (String field : event.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw bad(at + field + ": unknown field; an event has name, value and ts");
      }
    }
    String name = checkName(event.getValue("name"), at + "name", maxNameLength);
    Object value = event.getValue("value");
    double v = 1;
    if (value != null) {
      if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
        throw bad(at + "value: must be a number, got " + kind(value));
      }
      v = number.doubleValue();
    }
    Object ts = event.getValue("ts");
    long t = now;
    if (ts != null) {
      if (!(ts instanceof Integer || ts instanceof Long) || ((Number) ts).longValue() < 0) {
        throw bad(at + "ts: must be a whole, non-negative number of milliseconds since the epoch, got " + kind(ts));
      }
      t = ((Number) ts).longValue();
      if (t > now + MAX_AHEAD_MS) {
        // a minute slot holding a later minute refuses earlier ones: one event far ahead would blind that slot of
        // every hour until its time came
        throw bad(at + "ts: " + t + " is more than " + MAX_AHEAD_MS / 60_000 + " minutes ahead of this node's clock ("
            + now + ")");
      }
    }
    into.computeIfAbsent(name, k -> new Delta.Builder()).add(v, t);
  }

  /**
   * Checks an event name (also the {@code {name}} of {@code GET /stats/{name}}).
   *
   * @throws BodyTypes.BadBody (400) naming {@code field}
   */
  public static String checkName(Object name, String field, int maxNameLength) {
    if (!(name instanceof String s)) {
      throw bad(field + ": required, a string, got " + kind(name));
    }
    if (s.isEmpty() || s.length() > maxNameLength || !NAME.matcher(s).matches()) {
      throw bad(field + ": must be 1-" + maxNameLength + " letters, digits, '.', '_', ':' or '-', starting with a"
          + " letter or digit, got " + kind(s));
    }
    return s;
  }

  private static String kind(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof String s) {
      return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return String.valueOf(v);
    }
    return BodyTypes.describe(v.getClass());
  }

  static BodyTypes.BadBody bad(String message) {
    return new BodyTypes.BadBody(ActorFailures.BAD_REQUEST, message);
  }
}
