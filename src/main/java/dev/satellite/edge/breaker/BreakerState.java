package dev.satellite.edge.breaker;

import java.util.Locale;

/** A breaker's state as callers and operators see it; the gauge value is {@link #ordinal()}. */
public enum BreakerState {
  /** Calls go to the target; failures are counted. */
  CLOSED,
  /** The next call is a probe (exactly one goes through); the others are refused. */
  HALF_OPEN,
  /** Calls are refused without touching the target until the open wait is over. */
  OPEN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
