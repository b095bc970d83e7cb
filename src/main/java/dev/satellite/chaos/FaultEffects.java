package dev.satellite.chaos;

/**
 * Carries out the faults that act on the process rather than on messages (exit, block-event-loop,
 * memory-pressure, cpu-burn). {@link #start} returns at once; the effect stops when the fault is reverted.
 */
public interface FaultEffects {

  /** Effects for a registry that cannot act on a process (unit tests): node faults are refused. */
  FaultEffects NONE = fault -> {
    throw new IllegalStateException("this registry cannot act on the process");
  };

  /** Starts the effect of {@code fault}; stopping it is registered on the fault. */
  void start(Fault fault);
}
