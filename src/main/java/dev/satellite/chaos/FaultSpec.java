package dev.satellite.chaos;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to inject, as asked for (see {@link #parse}): the type, the target and the type's parameters. A spec with no
 * seed gets one drawn when it is injected, and the fault reports it, so any run can be repeated choice for choice.
 *
 * <p>Immutable.
 *
 * @param duration    how long the fault lasts before it reverts itself
 * @param probability the chance that one message or request is affected (per-event types only; 1 = every one)
 * @param seed        the seed of the fault's own random choices; null = drawn at injection
 * @param count       crash: how many messages crash
 * @param delayMs     latency: the fixed delay; exit: the time before the process halts
 * @param jitterMs    latency: up to this much more, chosen at random per message or request
 * @param status      error: the HTTP status (route, upstream) or bus failure code (actor); exit: the exit code
 * @param fraction    memory-pressure: the fraction of the maximum heap to hold
 * @param threads     cpu-burn: how many threads spin
 */
public record FaultSpec(FaultType type, FaultTarget target, Duration duration, double probability, Long seed,
    int count, long delayMs, long jitterMs, int status, double fraction, int threads) {

  /** How long a fault lasts when the request does not say. */
  public static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);
  public static final long MAX_DURATION_MS = Duration.ofHours(1).toMillis();
  public static final long MAX_HANG_MS = Duration.ofMinutes(10).toMillis();
  public static final long MAX_BLOCK_MS = Duration.ofMinutes(1).toMillis();
  public static final long MAX_DELAY_MS = Duration.ofMinutes(1).toMillis();
  public static final int MAX_COUNT = 1_000_000;
  public static final int MAX_THREADS = 64;
  public static final double MAX_FRACTION = 0.9;
  /** The bus failure code of an actor error fault when none is given (an application failure: 500 at the edge). */
  public static final int DEFAULT_ACTOR_CODE = 500;
  /** The exit code of an exit fault when none is given: what a {@code kill -9} shows. */
  public static final int DEFAULT_EXIT_CODE = 137;

  /**
   * The names a fault may aim at on this node. Routes (and upstreams, by their route) are named as in the config's
   * view ({@code /hello GET}); their path alone ({@code /hello}) names them too where only one route has it.
   */
  public record Catalog(Set<String> actors, Map<String, String> routes, Map<String, String> upstreams) {
    public Catalog {
      actors = Set.copyOf(actors);
      routes = Map.copyOf(routes);
      upstreams = Map.copyOf(upstreams);
    }

    /** A catalog whose routes and upstreams have no aliases. */
    public static Catalog of(Set<String> actors, Set<String> routes, Set<String> upstreams) {
      return new Catalog(actors, identity(routes), identity(upstreams));
    }

    /** From each route's name and path: which routes exist, and which of them have an upstream. */
    public static Catalog of(Set<String> actors, Map<String, String> routePaths, Set<String> upstreamRoutes) {
      Map<String, String> routes = aliases(routePaths);
      Map<String, String> upstreams = new HashMap<>();
      routes.forEach((alias, name) -> {
        if (upstreamRoutes.contains(name)) {
          upstreams.put(alias, name);
        }
      });
      return new Catalog(actors, routes, upstreams);
    }

    private static Map<String, String> identity(Set<String> names) {
      Map<String, String> m = new HashMap<>();
      names.forEach(n -> m.put(n, n));
      return m;
    }

    /** Each name names itself; a path names its route when no other route has that path. */
    private static Map<String, String> aliases(Map<String, String> routePaths) {
      Map<String, String> m = new HashMap<>();
      Map<String, Integer> uses = new HashMap<>();
      routePaths.values().forEach(p -> uses.merge(p, 1, Integer::sum));
      routePaths.forEach((name, path) -> {
        m.put(name, name);
        if (uses.get(path) == 1) {
          m.putIfAbsent(path, name);
        }
      });
      return m;
    }

    /** The target with its canonical name, or null if this node has no such thing. */
    FaultTarget resolve(FaultTarget t) {
      String name = switch (t.kind()) {
        case ACTOR -> actors.contains(t.name()) ? t.name() : null;
        case ROUTE -> routes.get(t.name());
        case UPSTREAM -> upstreams.get(t.name());
        case NODE -> "";
      };
      return name == null ? null : new FaultTarget(t.kind(), name);
    }

    String namesOf(FaultTarget.Kind kind) {
      Set<String> names = switch (kind) {
        case ACTOR -> actors;
        case ROUTE -> new TreeSet<>(routes.values());
        case UPSTREAM -> new TreeSet<>(upstreams.values());
        case NODE -> Set.of();
      };
      return new TreeSet<>(names).toString();
    }
  }

  /** A request for a fault that cannot be taken; one line per problem, each naming its field. */
  public static final class BadFault extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    BadFault(List<String> problems) {
      super(String.join(" ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  public static FaultSpec crash(String actor, int count) {
    return new FaultSpec(FaultType.CRASH, FaultTarget.actor(actor), DEFAULT_DURATION, 1, null, count, 0, 0, 0, 0, 0);
  }

  public static FaultSpec hang(String actor, Duration duration) {
    return new FaultSpec(FaultType.HANG, FaultTarget.actor(actor), duration, 1, null, 0, 0, 0, 0, 0, 0);
  }

  /** The same spec with the given seed. */
  public FaultSpec withSeed(long seed) {
    return new FaultSpec(type, target, duration, probability, seed, count, delayMs, jitterMs, status, fraction, threads);
  }

  /**
   * Reads a fault request: {@code type}, {@code target} (not for node faults), {@code durationMs},
   * {@code probability} and {@code seed}, and the type's own fields. Unknown fields are refused, not ignored.
   */
  public static FaultSpec parse(JsonObject body, Catalog catalog) {
    Reader r = new Reader(body);
    String typeLabel = r.string("type");
    FaultType type = typeLabel == null ? null : FaultType.of(typeLabel);
    if (type == null) {
      throw new BadFault(List.of("'type' must be one of " + Arrays.stream(FaultType.values()).map(FaultType::label).toList()
          + "."));
    }
    Set<String> allowed = new TreeSet<>(Set.of("type", "target", "durationMs", "seed"));
    if (type.perEvent()) {
      allowed.add("probability");
    }
    FaultTarget target = FaultTarget.NODE;
    if (type.targets().contains(FaultTarget.Kind.NODE)) {
      Object given = body.getValue("target");
      if (given != null && !"node".equals(given)) {
        r.problems.add("'target' of a " + type.label() + " fault can only be \"node\" (or left out).");
      }
    } else {
      String text = r.string("target");
      if (text == null) {
        r.problems.add("'target' is required: " + kinds(type) + ".");
      } else {
        try {
          target = FaultTarget.parse(text);
          if (!type.targets().contains(target.kind())) {
            r.problems.add("'target' of a " + type.label() + " fault must be " + kinds(type) + ", not " + target.kind().label()
                + ".");
          } else if (catalog.resolve(target) == null) {
            r.problems.add("'target' " + text + " is unknown: this node's " + target.kind().label() + "s are "
                + catalog.namesOf(target.kind()) + ".");
          } else {
            target = catalog.resolve(target);
          }
        } catch (IllegalArgumentException e) {
          r.problems.add("'target' " + text + ": " + e.getMessage() + ".");
        }
      }
    }
    long maxDuration = switch (type) {
      case HANG -> MAX_HANG_MS;
      case BLOCK_EVENT_LOOP -> MAX_BLOCK_MS;
      default -> MAX_DURATION_MS;
    };
    boolean durationRequired = type == FaultType.HANG || type == FaultType.BLOCK_EVENT_LOOP;
    long durationMs = r.whole("durationMs", durationRequired ? -1 : DEFAULT_DURATION.toMillis(), 1, maxDuration);
    double probability = type.perEvent() ? r.decimal("probability", 1, 0, 1) : 1;
    Long seed = body.containsKey("seed") ? r.whole("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null;
    int count = 0;
    long delayMs = 0;
    long jitterMs = 0;
    int status = 0;
    double fraction = 0;
    int threads = 0;
    switch (type) {
      case CRASH -> {
        allowed.add("count");
        count = (int) r.whole("count", 1, 1, MAX_COUNT);
      }
      case LATENCY -> {
        allowed.addAll(Set.of("delayMs", "jitterMs"));
        delayMs = r.whole("delayMs", -1, 0, MAX_DELAY_MS);
        jitterMs = r.whole("jitterMs", 0, 0, MAX_DELAY_MS);
      }
      case ERROR -> {
        if (target.kind() == FaultTarget.Kind.ACTOR) {
          allowed.add("code");
          status = (int) r.whole("code", DEFAULT_ACTOR_CODE, Integer.MIN_VALUE, Integer.MAX_VALUE);
        } else {
          allowed.add("status");
          status = (int) r.whole("status", -1, 400, 599);
        }
      }
      case EXIT -> {
        allowed.addAll(Set.of("delayMs", "exitCode"));
        delayMs = r.whole("delayMs", 0, 0, MAX_DELAY_MS);
        status = (int) r.whole("exitCode", DEFAULT_EXIT_CODE, 1, 255);
        durationMs = delayMs + 1000; // listed until it fires; the process is gone then
      }
      case MEMORY_PRESSURE -> {
        allowed.add("fraction");
        fraction = r.decimal("fraction", -1, Double.MIN_VALUE, MAX_FRACTION);
      }
      case CPU_BURN -> {
        allowed.add("threads");
        threads = (int) r.whole("threads", 1, 1, MAX_THREADS);
      }
      case HANG, BLOCK_EVENT_LOOP -> {
        // the duration is all they take
      }
    }
    Set<String> unknown = new TreeSet<>(body.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      r.problems.add("A " + type.label() + " fault takes only " + allowed + "; unknown: " + unknown + ".");
    }
    if (!r.problems.isEmpty()) {
      throw new BadFault(r.problems);
    }
    return new FaultSpec(type, target, Duration.ofMillis(durationMs), probability, seed, count, delayMs, jitterMs, status,
        fraction, threads);
  }

  private static String kinds(FaultType type) {
    return String.join(" or ", type.targets().stream().map(k -> switch (k) {
      case ACTOR -> "an actor (actor:<id>)";
      case ROUTE -> "a route (route:<name>)";
      case UPSTREAM -> "a route's upstream (upstream:<route name>)";
      case NODE -> "the node";
    }).toList());
  }

  /** Reads typed fields, collecting a problem per bad one; {@code -1} as a fallback marks a required field. */
  private static final class Reader {
    final JsonObject body;
    final List<String> problems = new ArrayList<>();

    Reader(JsonObject body) {
      this.body = body;
    }

    String string(String name) {
      Object v = body.getValue(name);
      if (v == null) {
        return null;
      }
      if (v instanceof String s && !s.isBlank()) {
        return s;
      }
      problems.add("'" + name + "' must be a non-empty string.");
      return null;
    }

    long whole(String name, long fallback, long min, long max) {
      Object v = body.getValue(name);
      if (v == null) {
        if (fallback == -1 && min >= 0) {
          problems.add("'" + name + "' is required: a whole number from " + min + " to " + max + ".");
        }
        return fallback;
      }
      if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= min && ((Number) v).longValue() <= max) {
        return ((Number) v).longValue();
      }
      problems.add("'" + name + "' must be a whole number from " + min + " to " + max + ".");
      return fallback;
    }

    double decimal(String name, double fallback, double min, double max) {
      Object v = body.getValue(name);
      if (v == null) {
        if (fallback == -1) {
          problems.add("'" + name + "' is required: a number above 0 and at most " + max + ".");
        }
        return fallback;
      }
      if (v instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max) {
        return n.doubleValue();
      }
      problems.add("'" + name + "' must be a number from " + (min == Double.MIN_VALUE ? "above 0" : min) + " to " + max + ".");
      return fallback;
    }
  }
}
