package dev.satellite.services.analytics;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import io.vertx.core.json.JsonObject;
import java.io.Serial;

/**
 * Reads one name's stats on the partition that owns it, so only the figures travel back — not the counter with its
 * idempotency keys, which a busy name has many of. Read-only: no backup step, nothing changed.
 *
 * <p>Not thread-safe: one per call; Hazelcast runs it on the partition thread.
 */
final class ReadStats implements EntryProcessor<String, EventCounter, String>, ReadOnly {

  @Serial
  private static final long serialVersionUID = 1L;

  private final long now;

  ReadStats(long now) {
    this.now = now;
  }

  /** The stats as JSON text (a name never counted: zeros). */
  @Override
  public String process(java.util.Map.Entry<String, EventCounter> entry) {
    return EventCounter.stats(entry.getKey(), entry.getValue(), now).encode();
  }

  @Override
  public EntryProcessor<String, EventCounter, String> getBackupProcessor() {
    return null;
  }

  static JsonObject decode(String json) {
    return new JsonObject(json);
  }
}
