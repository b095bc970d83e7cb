package dev.satellite.supervision;

import dev.satellite.config.SupervisorSpec.Strategy;
import java.util.ArrayList;
import java.util.List;

/**
 * Which children a strategy restarts when one child crashes. Children are identified by their index in
 * start order. (Under {@code one_for_one} only the crashed <em>instance</em> is replaced; its sibling
 * instances of the same child keep running.)
 *
 * <p>Thread-safe: stateless.
 */
final class RestartPlan {

  private RestartPlan() {
  }

  /** The indices of the children to restart, in start order, when child {@code crashed} of {@code count} crashed. */
  static List<Integer> children(Strategy strategy, int crashed, int count) {
    List<Integer> out = new ArrayList<>();
    switch (strategy) {
      case ONE_FOR_ONE -> out.add(crashed);
      case ONE_FOR_ALL -> {
        for (int i = 0; i < count; i++) {
          out.add(i);
        }
      }
      case REST_FOR_ONE -> {
        for (int i = crashed; i < count; i++) {
          out.add(i);
        }
      }
      default -> throw new IllegalArgumentException(String.valueOf(strategy));
    }
    return out;
  }

  /** Whether the other instances of the crashed child are restarted too. */
  static boolean wholeChild(Strategy strategy) {
    return strategy != Strategy.ONE_FOR_ONE;
  }
}
