package dev.satellite.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies a built-in service's config section (such as {@code analytics:}) to the supervision tree and the routes
 * when the config is built: with {@code enabled: false} every child running the service's actor type is dropped,
 * and so is every route to one of their addresses or to the service's stream (a route {@code stream: <type>}); with it on, the section's values are handed to those children as
 * settings (a child's own {@code settings:} win).
 *
 * <p>Thread-safe: stateless.
 */
final class ServiceSwitch {

  private ServiceSwitch() {
  }

  /** The tree and routes after the switch. */
  record Applied(SupervisionConfig supervision, List<RouteSpec> routes) {
  }

  static Applied apply(SupervisionConfig supervision, List<RouteSpec> routes, String actorType, boolean enabled,
      Map<String, Object> settings) {
    Set<String> addresses = new TreeSet<>();
    SupervisorSpec root = rewrite(supervision.root(), actorType, enabled, settings, addresses);
    Optional<String> stream = Optional.of(actorType);
    List<RouteSpec> kept = enabled ? routes
        : routes.stream().filter(r -> r.actor().map(a -> !addresses.contains(a)).orElse(true)
            && !r.stream().equals(stream)).toList();
    return new Applied(new SupervisionConfig(supervision.maxLoopBlock(), root), kept);
  }

  private static SupervisorSpec rewrite(SupervisorSpec spec, String type, boolean enabled, Map<String, Object> settings,
      Set<String> addresses) {
    List<ChildSpec> children = new ArrayList<>();
    for (ChildSpec c : spec.children()) {
      if (c.isSupervisor()) {
        SupervisorSpec nested = rewrite(c.supervisor().orElseThrow(), type, enabled, settings, addresses);
        children.add(new ChildSpec(c.id(), c.actor(), Optional.of(nested), c.address(), c.instances(), c.restart(),
            c.startTimeout(), c.stopTimeout(), c.mailbox(), c.settings()));
      } else if (!c.actor().orElseThrow().equals(type)) {
        children.add(c);
      } else if (enabled) {
        Map<String, Object> merged = new LinkedHashMap<>(settings);
        merged.putAll(c.settings());
        children.add(new ChildSpec(c.id(), c.actor(), c.supervisor(), c.address(), c.instances(), c.restart(),
            c.startTimeout(), c.stopTimeout(), c.mailbox(), merged));
      } else {
        addresses.add(c.address());
      }
    }
    return new SupervisorSpec(spec.id(), spec.strategy(), spec.maxRestarts(), spec.period(), spec.backoff(),
        spec.liveness(), children);
  }
}
