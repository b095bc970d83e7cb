package dev.satellite.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code supervision:} section: the watchdog bound on a blocked event loop and the root supervisor
 * with its tree of children. Immutable.
 *
 * @param maxLoopBlock an event loop blocked longer than this wedges the node: liveness 503 and exit 70
 * @param root         the root supervisor
 */
public record SupervisionConfig(Duration maxLoopBlock, SupervisorSpec root) {

  public static final String ROOT_ID = "root";
  static final SupervisorSpec.Backoff DEFAULT_BACKOFF =
      new SupervisorSpec.Backoff(Duration.ofMillis(10), Duration.ofSeconds(2), Duration.ofSeconds(30), 0.2);
  static final SupervisorSpec.Liveness DEFAULT_LIVENESS =
      new SupervisorSpec.Liveness(true, Duration.ofSeconds(1), Duration.ofSeconds(1), 2);
  private static final Set<String> SUPERVISOR_KEYS = Set.of("strategy", "maxRestarts", "period", "backoff", "liveness", "children");
  private static final Set<String> CHILD_KEYS = Set.of("id", "actor", "supervisor", "address", "instances", "restart",
      "startTimeout", "stopTimeout", "mailbox", "settings");
  private static final List<String> STRATEGIES = List.of("one_for_one", "one_for_all", "rest_for_one");
  private static final List<String> RESTARTS = List.of("permanent", "transient", "temporary");

  /** This config without the actor children of type {@code actorType} at any depth (a service turned off). */
  SupervisionConfig without(String actorType) {
    return new SupervisionConfig(maxLoopBlock, without(root, actorType));
  }

  private static SupervisorSpec without(SupervisorSpec spec, String actorType) {
    List<ChildSpec> kept = new java.util.ArrayList<>();
    for (ChildSpec child : spec.children()) {
      if (child.isSupervisor()) {
        SupervisorSpec nested = without(child.supervisor().orElseThrow(), actorType);
        kept.add(new ChildSpec(child.id(), child.actor(), Optional.of(nested), child.address(), child.instances(),
            child.restart(), child.startTimeout(), child.stopTimeout(), child.mailbox(), child.settings()));
      } else if (!child.actor().equals(Optional.of(actorType))) {
        kept.add(child);
      }
    }
    return new SupervisorSpec(spec.id(), spec.strategy(), spec.maxRestarts(), spec.period(), spec.backoff(),
        spec.liveness(), kept);
  }

  /** @param eventLoops what {@code instances: 0} (one instance per event loop) stands for */
  static SupervisionConfig read(ConfigReader r, int eventLoops) {
    Set<String> known = new HashSet<>(SUPERVISOR_KEYS);
    known.add("maxLoopBlock");
    r.onlyKeys(known);
    Duration maxLoopBlock = r.duration("maxLoopBlock", Duration.ofSeconds(5), Duration.ofMillis(100));
    return new SupervisionConfig(maxLoopBlock, supervisor(r, ROOT_ID, DEFAULT_BACKOFF, DEFAULT_LIVENESS, eventLoops));
  }

  private static SupervisorSpec supervisor(ConfigReader r, String id, SupervisorSpec.Backoff inheritedBackoff,
      SupervisorSpec.Liveness inheritedLiveness, int eventLoops) {
    SupervisorSpec.Strategy strategy = SupervisorSpec.Strategy.valueOf(
        r.oneOf("strategy", SupervisorSpec.DEFAULT_STRATEGY, STRATEGIES).toUpperCase(Locale.ROOT));
    int maxRestarts = r.integer("maxRestarts", SupervisorSpec.DEFAULT_MAX_RESTARTS, 0, 1_000_000);
    Duration period = r.duration("period", SupervisorSpec.DEFAULT_PERIOD, Duration.ofMillis(1));
    SupervisorSpec.Backoff backoff = r.has("backoff") ? backoff(r.section("backoff"), inheritedBackoff) : inheritedBackoff;
    SupervisorSpec.Liveness liveness = r.has("liveness") ? liveness(r.section("liveness"), inheritedLiveness) : inheritedLiveness;

    List<ChildSpec> children = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigReader c : r.list("children")) {
      ChildSpec child = child(c, backoff, liveness, eventLoops);
      if (child != null && !ids.add(child.id())) {
        c.problem("id", "duplicate child id '" + child.id() + "' under supervisor '" + id + "'");
      }
      if (child != null) {
        children.add(child);
      }
    }
    return new SupervisorSpec(id, strategy, maxRestarts, period, backoff, liveness, children);
  }

  private static ChildSpec child(ConfigReader c, SupervisorSpec.Backoff backoff, SupervisorSpec.Liveness liveness,
      int eventLoops) {
    c.onlyKeys(CHILD_KEYS);
    String id = c.string("id", "").trim();
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      c.problem("id", "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got '" + id + "'");
      return null;
    }
    boolean hasActor = c.has("actor");
    boolean hasSupervisor = c.has("supervisor");
    if (hasActor == hasSupervisor) {
      c.problem("actor", "give exactly one of 'actor' (an actor type) or 'supervisor' (a nested supervisor)");
      return null;
    }
    Optional<SupervisorSpec> nested = Optional.empty();
    if (hasSupervisor) {
      ConfigReader s = c.section("supervisor");
      s.onlyKeys(SUPERVISOR_KEYS);
      nested = Optional.of(supervisor(s, id, backoff, liveness, eventLoops));
    }
    Map<String, Object> settings = ConfigTree.deepCopy(c.rawSection("settings"));
    int instances = c.integer("instances", ChildSpec.DEFAULT_INSTANCES, 0, 256);
    return new ChildSpec(
        id,
        hasActor ? Optional.of(c.string("actor", "")) : Optional.empty(),
        nested,
        c.string("address", id),
        instances == 0 ? eventLoops : instances,
        ChildSpec.Restart.valueOf(c.oneOf("restart", "permanent", RESTARTS).toUpperCase(Locale.ROOT)),
        c.duration("startTimeout", ChildSpec.DEFAULT_START_TIMEOUT, Duration.ofMillis(1)),
        c.duration("stopTimeout", ChildSpec.DEFAULT_STOP_TIMEOUT, Duration.ofMillis(1)),
        c.integer("mailbox", ChildSpec.DEFAULT_MAILBOX, 1, 1_000_000),
        settings);
  }

  private static SupervisorSpec.Backoff backoff(ConfigReader b, SupervisorSpec.Backoff d) {
    b.onlyKeys(Set.of("min", "max", "resetAfter", "jitter"));
    Duration min = b.duration("min", d.min());
    Duration max = b.duration("max", d.max());
    if (max.compareTo(min) < 0) {
      b.problem("max", "must be at least backoff.min (" + Durations.format(min) + ")");
    }
    return new SupervisorSpec.Backoff(min, max, b.duration("resetAfter", d.resetAfter()), b.decimal("jitter", d.jitter(), 0, 1));
  }

  private static SupervisorSpec.Liveness liveness(ConfigReader l, SupervisorSpec.Liveness d) {
    l.onlyKeys(Set.of("enabled", "interval", "timeout", "misses"));
    return new SupervisorSpec.Liveness(l.bool("enabled", d.enabled()),
        l.duration("interval", d.interval(), Duration.ofMillis(10)),
        l.duration("timeout", d.timeout(), Duration.ofMillis(10)),
        l.integer("misses", d.misses(), 1, 100));
  }
}
