package dev.satellite.chaos;

/** A live actor instance that the chaos monkey may crash; instances enlist while they serve. */
public interface Victim {

  /** The actor's child id. */
  String actor();

  /** The instance's number among the actor's instances. */
  int instance();

  /** Crashes the instance as an exception in its handler would (on its own context, whatever thread asks). */
  void crash(String reason);
}
