package dev.satellite.health;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What the health endpoints report: the node's phase, whether its event loops are wedged, and a
 * supplier of per-component detail. Written by the node's lifecycle, read by every listener instance.
 *
 * <p>Thread-safe.
 */
public final class NodeStatus {

  private final String nodeId;
  private final Instant startedAt;
  private final AtomicReference<NodePhase> phase = new AtomicReference<>(NodePhase.STARTING);
  private volatile String wedged;
  private volatile Supplier<JsonObject> detail = JsonObject::new;

  public NodeStatus(String nodeId, Instant startedAt) {
    this.nodeId = nodeId;
    this.startedAt = startedAt;
  }

  public String nodeId() {
    return nodeId;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public NodePhase phase() {
    return phase.get();
  }

  /** Moves to {@code next} unless the node is already past it; returns whether it moved. */
  public boolean advance(NodePhase next) {
    NodePhase current;
    do {
      current = phase.get();
      if (current.ordinal() >= next.ordinal()) {
        return false;
      }
    } while (!phase.compareAndSet(current, next));
    return true;
  }

  public boolean ready() {
    return phase.get() == NodePhase.READY;
  }

  /** Marks the process as wedged (an event loop blocked too long); liveness fails from now on. */
  public void markWedged(String reason) {
    this.wedged = reason;
  }

  public boolean live() {
    return wedged == null;
  }

  public String wedgedReason() {
    return wedged;
  }

  /** Per-component detail shown in the readiness body (actors and their status). */
  public void detail(Supplier<JsonObject> detail) {
    this.detail = detail;
  }

  public JsonObject detail() {
    return detail.get();
  }
}
