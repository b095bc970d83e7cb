package dev.satellite.experiment.load;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code window} parameter of {@code GET /stats}: a positive whole number followed by
 * {@code ms}, {@code s}, {@code m} or {@code h} ({@code 500ms}, {@code 10s}, {@code 1m}). Stateless: thread-safe.
 */
final class WindowParam {

  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private WindowParam() {
  }

  /** The duration {@code text} names; throws {@link IllegalArgumentException} with a readable reason otherwise. */
  static Duration parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "window must be a positive duration such as 500ms, 10s or 1m, got '" + text + "'");
    }
    long amount = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
    if (d.isZero()) {
      throw new IllegalArgumentException("window must be greater than zero, got '" + text + "'");
    }
    return d;
  }
}
