package dev.satellite.http;

import dev.satellite.actor.TraceContext;
import io.vertx.ext.web.RoutingContext;

/**
 * The trace context of each request (W3C {@code traceparent}): the client's trace continued by a span of this node,
 * or a new trace when the client sent none (or a malformed one). Made once per request, on first use, and kept on
 * the routing context, so the access log, problem bodies, actors and upstreams all see the same trace id.
 *
 * <p>Thread-safe: stateless; the context it writes to is the request's own.
 */
public final class RequestTraces {

  public static final String HEADER = "traceparent";
  private static final String KEY = "satellite.trace";

  private RequestTraces() {
  }

  /** This node's span of the request. */
  public static TraceContext of(RoutingContext ctx) {
    TraceContext trace = ctx.get(KEY);
    if (trace == null) {
      TraceContext incoming = TraceContext.parse(ctx.request().getHeader(HEADER));
      trace = incoming == null ? TraceContext.start() : incoming.child();
      ctx.put(KEY, trace);
    }
    return trace;
  }
}
