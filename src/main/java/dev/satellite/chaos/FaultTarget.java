package dev.satellite.chaos;

import java.util.Locale;

/**
 * What a fault aims at: an actor (by its child id, so the fault outlives restarts of its instances), a route (by
 * name: the fault acts where a request enters the route, before its policies), the upstream of a route (the fault
 * acts on the call to the upstream, after the policies, so breaker, retries and deadline see it), or the node itself.
 * Written {@code actor:hello}, {@code route:proxy}, {@code upstream:proxy}, {@code node}; a bare name is an actor.
 *
 * <p>Immutable.
 */
public record FaultTarget(Kind kind, String name) {

  /** The kinds of thing a fault can aim at. */
  public enum Kind {
    ACTOR, ROUTE, UPSTREAM, NODE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The node itself: the target of faults that act on the process (exit, event loops, memory, CPU). */
  public static final FaultTarget NODE = new FaultTarget(Kind.NODE, "");

  public static FaultTarget actor(String id) {
    return new FaultTarget(Kind.ACTOR, id);
  }

  public static FaultTarget route(String name) {
    return new FaultTarget(Kind.ROUTE, name);
  }

  public static FaultTarget upstream(String routeName) {
    return new FaultTarget(Kind.UPSTREAM, routeName);
  }

  /** Reads {@code kind:name}; a name without a kind is an actor id, {@code node} the node. */
  public static FaultTarget parse(String text) {
    if (text.equals("node")) {
      return NODE;
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      return actor(text);
    }
    String kind = text.substring(0, colon);
    String name = text.substring(colon + 1);
    return switch (kind) {
      case "actor" -> actor(name);
      case "route" -> route(name);
      case "upstream" -> upstream(name);
      default -> throw new IllegalArgumentException("unknown kind '" + kind + "' (actor, route, upstream or node)");
    };
  }

  public String label() {
    return kind == Kind.NODE ? "node" : kind.label() + ":" + name;
  }

  @Override
  public String toString() {
    return label();
  }
}
