package dev.satellite.services;

import dev.satellite.actor.Actor;
import dev.satellite.config.ChildSpec;
import dev.satellite.config.SupervisorSpec;
import dev.satellite.services.analytics.AnalyticsActor;
import dev.satellite.services.push.PushActor;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns the {@code actor:} of a child spec into a fresh actor object: a built-in name ({@code hello} …)
 * or the name of a class that extends {@link Actor} and has a public no-argument constructor.
 *
 * <p>Thread-safe: immutable.
 */
public final class ActorTypes {

  private static final Map<String, Supplier<Actor<?>>> BUILT_IN = new TreeMap<>(Map.of(
      "hello", HelloActor::new,
      "whoami", WhoamiActor::new,
      "echo", EchoActor::new,
      "analytics", AnalyticsActor::new,
      "push", PushActor::new));

  private ActorTypes() {
  }

  /** A new, unbound instance of the actor type. */
  public static Actor<?> create(String type) {
    Supplier<Actor<?>> builtIn = BUILT_IN.get(type);
    if (builtIn != null) {
      return builtIn.get();
    }
    try {
      return constructor(type).newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create actor " + type + ": " + e, e);
    }
  }

  private static Constructor<? extends Actor<?>> constructor(String className) throws ReflectiveOperationException {
    Class<?> c = Class.forName(className, false, ActorTypes.class.getClassLoader());
    if (!Actor.class.isAssignableFrom(c)) {
      throw new ClassCastException(className + " does not extend " + Actor.class.getName());
    }
    @SuppressWarnings("unchecked")
    Class<? extends Actor<?>> actorClass = (Class<? extends Actor<?>>) c.asSubclass(Actor.class);
    return actorClass.getConstructor();
  }

  /** One problem per child whose actor type does not resolve, each naming the config key. */
  public static List<String> validate(SupervisorSpec root, String keyPrefix) {
    List<String> problems = new ArrayList<>();
    validate(root, keyPrefix, problems);
    return problems;
  }

  private static void validate(SupervisorSpec spec, String prefix, List<String> problems) {
    for (int i = 0; i < spec.children().size(); i++) {
      ChildSpec child = spec.children().get(i);
      String key = prefix + "children[" + i + "]";
      if (child.isSupervisor()) {
        validate(child.supervisor().orElseThrow(), key + ".supervisor.", problems);
        continue;
      }
      String type = child.actor().orElseThrow();
      if (BUILT_IN.containsKey(type)) {
        continue;
      }
      try {
        constructor(type);
      } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
        problems.add(key + ".actor: unknown actor type '" + type + "' (built-in: " + String.join(", ", BUILT_IN.keySet())
            + "; or the name of a class extending " + Actor.class.getName() + " with a public no-argument constructor)");
      }
    }
  }
}
