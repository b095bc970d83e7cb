package dev.satellite.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The fixed-size form of a rate-limit key. A key comes from the client (its address, or a header such as an API
 * key, up to {@code edge.maxHeaderSize} bytes), and a limiter remembers keys — in its own table, or in a Hazelcast
 * map on every member with a backup — so a key is stored as a digest: 128 bits of its SHA-256, 22 characters,
 * whatever its length. Distinct keys stay distinct (a collision would need 2^64 keys).
 *
 * <p>Thread-safe.
 */
public final class RateLimitKeys {

  /** Characters of every digest. */
  public static final int LENGTH = 22;

  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  });
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private RateLimitKeys() {
  }

  /** The digest of {@code key}; the empty key (a route that is not keyed) stays empty. */
  public static String digest(String key) {
    if (key.isEmpty()) {
      return key;
    }
    byte[] sha = SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8));
    byte[] half = new byte[16];
    System.arraycopy(sha, 0, half, 0, 16);
    return URL.encodeToString(half);
  }
}
