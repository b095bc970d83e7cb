package dev.satellite.services.push;

import java.util.regex.Pattern;

/**
 * What a topic name may be: 1-128 letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or
 * digit — safe in a URL path, a Hazelcast structure name and a metric label.
 *
 * <p>Thread-safe: stateless.
 */
public final class Topics {

  public static final int MAX_LENGTH = 128;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

  private Topics() {
  }

  public static boolean valid(String topic) {
    return topic != null && NAME.matcher(topic).matches();
  }

  /** Why {@code topic} is refused, for a problem's detail. */
  public static String rule(String topic) {
    return "Path parameter 'topic' must be 1-" + MAX_LENGTH + " letters, digits, '.', '_' or '-', starting with a"
        + " letter or digit; got '" + (topic == null ? "" : topic.length() > 140 ? topic.substring(0, 140) + "…" : topic)
        + "'.";
  }
}
