package dev.satellite.supervision;

import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A read-only view of the whole supervision tree for the admin API and the readiness probe. Each
 * supervisor publishes an immutable snapshot of itself after every change of state (never per message),
 * so reading the tree asks no event loop anything and works even while one is busy.
 *
 * <p>Thread-safe.
 */
public final class SupervisionTree {

  private final Map<String, Owned> snapshots = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> alive = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  public SupervisionTree(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A snapshot and the supervisor that published it (tokens grow: a replacement has a larger one). */
  private record Owned(long owner, JsonObject snapshot) {
  }

  /**
   * Publishes a supervisor's snapshot, unless a newer supervisor at the same path (a replacement) already
   * published its own: a retired supervisor that is still winding down must not hide its successor.
   */
  void publish(String path, long owner, JsonObject snapshot) {
    snapshots.compute(path, (k, current) -> current == null || current.owner() <= owner ? new Owned(owner, snapshot) : current);
  }

  /** Removes the supervisor's snapshot, if it is still the one shown. */
  void remove(String path, long owner) {
    snapshots.computeIfPresent(path, (k, current) -> current.owner() == owner ? null : current);
  }

  /** The live-instance counter of one child; the same across restarts of its supervisor, and exported as a gauge. */
  AtomicInteger aliveCounter(String supervisorPath, String child) {
    return alive.computeIfAbsent(supervisorPath + "/" + child, k -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder(MetricNames.SUPERVISOR_ALIVE, n, AtomicInteger::get)
          .description("Live instances of a supervised child")
          .tags("supervisor", supervisorPath, "child", child)
          .strongReference(true)
          .register(registry);
      return n;
    });
  }

  /** The tree from the supervisor at {@code path} down, or null if it is not running. */
  public JsonObject tree(String path) {
    Owned owned = snapshots.get(path);
    if (owned == null) {
      return null;
    }
    JsonObject snapshot = owned.snapshot();
    JsonObject out = snapshot.copy();
    JsonArray children = new JsonArray();
    for (Object o : snapshot.getJsonArray("children")) {
      JsonObject child = ((JsonObject) o).copy();
      if ("supervisor".equals(child.getString("kind"))) {
        JsonObject nested = tree(path + "/" + child.getString("id"));
        if (nested != null) {
          child.put("supervisor", nested);
        }
      }
      children.add(child);
    }
    return out.put("children", children);
  }

  /**
   * Every actor child in the tree with its status, keyed by its path below the root
   * ({@code hello}, {@code services/push}), for the readiness body.
   */
  public JsonObject actorStatuses(String rootPath) {
    JsonObject out = new JsonObject();
    collect(tree(rootPath), "", out);
    return out;
  }

  private static void collect(JsonObject supervisor, String prefix, JsonObject out) {
    if (supervisor == null) {
      return;
    }
    for (Object o : supervisor.getJsonArray("children")) {
      JsonObject child = (JsonObject) o;
      String name = prefix + child.getString("id");
      if ("supervisor".equals(child.getString("kind"))) {
        collect(child.getJsonObject("supervisor"), name + "/", out);
      } else {
        out.put(name, new JsonObject().put("status", child.getString("status"))
            .put("alive", child.getInteger("alive")).put("wanted", child.getInteger("wanted")));
      }
    }
  }
}
