package dev.satellite.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;

/**
 * Bearer credentials ({@code Authorization: Bearer <token>}, RFC 6750) and their comparison: a token is kept and
 * compared only as its SHA-256 digest, and a presented token is compared with every known digest, whatever the
 * first comparisons said ({@link MessageDigest#isEqual} over equal-length digests), so the time a check takes says
 * nothing about how much of a token was right, nor how long the known tokens are, nor which of them matched.
 *
 * <p>Thread-safe: stateless.
 */
public final class BearerTokens {

  private static final String SCHEME = "Bearer";
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  });

  private BearerTokens() {
  }

  /**
   * The credentials of an {@code Authorization} header: what follows {@code Bearer} (any case) and white space,
   * trimmed; {@code null} when the header is absent; {@code ""} when it is not a bearer header or carries no token.
   */
  public static String credentials(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.length() <= SCHEME.length() || !h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        || !Character.isWhitespace(h.charAt(SCHEME.length()))) {
      return "";
    }
    return h.substring(SCHEME.length() + 1).trim();
  }

  public static byte[] digest(String token) {
    MessageDigest sha = SHA256.get();
    sha.reset();
    return sha.digest(token.getBytes(StandardCharsets.UTF_8));
  }

  public static List<byte[]> digests(Collection<String> tokens) {
    return tokens.stream().map(BearerTokens::digest).toList();
  }

  /** Whether {@code given} is among {@code known}, in time that depends only on how many are known. */
  public static boolean anyEquals(List<byte[]> known, byte[] given) {
    boolean found = false;
    for (byte[] k : known) {
      found |= MessageDigest.isEqual(k, given);
    }
    return found;
  }
}
