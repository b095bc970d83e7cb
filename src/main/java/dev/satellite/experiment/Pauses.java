package dev.satellite.experiment;

/**
 * An activity's {@code pauses}: seconds to wait before and after it, each a number or a {@code ${name}} placeholder
 * (null when absent).
 *
 * <p>Thread-safe: immutable.
 */
public record Pauses(Object before, Object after) {

  public static final Pauses NONE = new Pauses(null, null);
}
