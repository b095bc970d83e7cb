package dev.satellite.actor;

/**
 * What a supervisor learns about a crash: its kind and a one-line reason (the cause's message when there
 * is one). Immutable.
 */
public record Crash(CrashKind kind, String reason, Throwable cause) {

  public static Crash of(CrashKind kind, Throwable cause) {
    String msg = cause.getMessage();
    return new Crash(kind, cause.getClass().getSimpleName() + (msg == null ? "" : ": " + msg), cause);
  }

  public static Crash of(CrashKind kind, String reason) {
    return new Crash(kind, reason, null);
  }

  @Override
  public String toString() {
    return kind.label() + " (" + reason + ")";
  }
}
