package dev.satellite.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One child of a supervisor: an actor (by built-in name or class name) or a nested supervisor, how many
 * instances to run (each its own deployment, replaced alone), when to restart it, and how long its start
 * and stop may take. Immutable.
 *
 * @param id           child id, unique among its siblings; also the actor's default address
 * @param actor        the actor type (built-in name such as {@code hello}, or a class name), when an actor
 * @param supervisor   the nested supervisor, when a supervisor
 * @param address      the event-bus address the actor listens on
 * @param instances    instances to run, each its own deployment ({@code instances: 0} in the config: one per event loop)
 * @param restart      when to restart an instance that ended
 * @param startTimeout a start taking longer counts as a crash
 * @param stopTimeout  how long a stopping instance is given before it is abandoned
 * @param mailbox      messages an instance holds (accepted, not yet completed) before it refuses more
 * @param settings     free-form settings handed to the actor
 */
public record ChildSpec(
    String id,
    Optional<String> actor,
    Optional<SupervisorSpec> supervisor,
    String address,
    int instances,
    Restart restart,
    Duration startTimeout,
    Duration stopTimeout,
    int mailbox,
    Map<String, Object> settings) {

  public static final int DEFAULT_INSTANCES = 1;
  /** Generous: on a cluster that is still forming, registering an actor's addresses alone can take seconds. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAILBOX = 1024;

  public ChildSpec {
    settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
  }

  public boolean isSupervisor() {
    return supervisor.isPresent();
  }

  /** When an instance that ended is started again (OTP's restart types). */
  public enum Restart {
    /** Always. */
    PERMANENT,
    /** Only after a crash, not after a normal stop. */
    TRANSIENT,
    /** Never. */
    TEMPORARY;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
