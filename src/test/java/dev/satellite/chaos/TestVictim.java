package dev.satellite.chaos;

import java.util.List;

/** An actor instance for tests: crashing it writes {@code actor#instance} into {@code crashes}. */
record TestVictim(String actor, int instance, List<String> crashes) implements Victim {

  @Override
  public void crash(String reason) {
    crashes.add(this.toString());
  }

  @Override
  public String toString() {
    return actor + "#" + instance;
  }
}
