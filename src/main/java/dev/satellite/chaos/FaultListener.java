package dev.satellite.chaos;

/** Hears of every fault injected into a node and every one reverted, with why: to log, count and publish them. */
public interface FaultListener {

  /** Why a fault ended. */
  enum Reverted {
    /** Taken back through the API. */
    DELETED,
    /** Its duration ran out. */
    EXPIRED,
    /** A crash fault whose count is used up. */
    SPENT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  FaultListener NONE = new FaultListener() {
    @Override
    public void injected(Fault fault) {
    }

    @Override
    public void reverted(Fault fault, Reverted why) {
    }
  };

  void injected(Fault fault);

  void reverted(Fault fault, Reverted why);
}
