package dev.satellite.services.analytics;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.io.Serial;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Binds an idempotency key to the digest of the body it came with, if it is not bound yet (expiring after the key's
 * time to live), on the partition that owns the key, and answers whether the key's body is this one. The backup
 * runs the same step, so both copies hold the first binding.
 *
 * <p>Not thread-safe: one per call; Hazelcast runs it on the partition thread.
 */
final class ClaimKey implements EntryProcessor<String, String, Boolean> {

  @Serial
  private static final long serialVersionUID = 1L;

  private final String fingerprint;
  private final long ttlMs;

  ClaimKey(String fingerprint, long ttlMs) {
    this.fingerprint = fingerprint;
    this.ttlMs = ttlMs;
  }

  @Override
  public Boolean process(Map.Entry<String, String> entry) {
    String earlier = entry.getValue();
    if (earlier == null) {
      ((ExtendedMapEntry<String, String>) entry).setValue(fingerprint, ttlMs, TimeUnit.MILLISECONDS);
      return true;
    }
    return earlier.equals(fingerprint);
  }
}
