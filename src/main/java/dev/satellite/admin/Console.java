package dev.satellite.admin;

import dev.satellite.chaos.FaultRegistry;
import dev.satellite.config.SatelliteConfig.AdminRole;
import dev.satellite.edge.RoutePolicy;
import dev.satellite.http.Problem;
import dev.satellite.supervision.SupervisionEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator console on the admin listener: one page ({@code GET /admin/}) and its assets, served from the jar
 * and open without a token (they hold no data); signing in and out ({@code /admin/session}); and the page's data,
 * a server-sent event stream ({@code GET /admin/console/stream}) of the node's whole state once a second — this
 * node and the cluster's members, the supervision tree, every route's policies and outcomes with its p99 by kind of
 * outcome over the last second, active faults, and a feed of events — behind the same authentication as the rest of
 * the API.
 *
 * <p>Signing in takes an admin token in a JSON body (never in a URL), is slowed down and audited like a bearer token,
 * and answers an {@code HttpOnly}, {@code SameSite=Strict} session cookie scoped to {@code /admin} plus the session's
 * CSRF token, which the page sends with every call that changes state. Signing out ends the session and the streams
 * it opened.
 *
 * <p>Not thread-safe: everything runs on the admin listener's event loop.
 */
final class Console {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Console.class);
  /** At most this many streams at once (a console tab each); more get 503. */
  static final int MAX_STREAMS = 32;
  static final long TICK_MS = 1000;
  /** The assets: request path under /admin/assets/ → classpath resource. */
  private static final Map<String, String> ASSETS = Map.of(
      "console.js", "dev/satellite/console/console.js",
      "console.css", "dev/satellite/console/console.css",
      "uPlot.iife.min.js", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
      "uPlot.min.css", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css");
  private static final String PAGE = "dev/satellite/console/index.html";
  /** Only the node's own scripts, styles and connections; no frames, no inline script. */
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private record Asset(Buffer body, String contentType) {
  }

  /** One console's stream: {@code valid} asks whether what opened it still would; {@code skipped} states in a row. */
  static final class Stream {
    final HttpServerResponse response;
    final String sessionId;
    final BooleanSupplier valid;
    int skipped;

    Stream(HttpServerResponse response, String sessionId, BooleanSupplier valid) {
      this.response = response;
      this.sessionId = sessionId;
      this.valid = valid;
    }
  }

  /** A stream that could take none of this many states in a row (a client that stopped reading) is ended. */
  static final int MAX_SKIPPED = 30;

  private final Vertx vertx;
  private final String nodeId;
  private final Clock clock;
  private final BearerAuth auth;
  private final FailedAuth failures;
  private final Sessions sessions;
  private final List<AdminEndpoint> endpoints;
  private final Supplier<JsonObject> node;
  private final ConsoleEvents events;
  private final Map<String, Asset> assets = new HashMap<>();
  private final Map<HttpServerResponse, Stream> streams = new LinkedHashMap<>();
  private long timer = -1;
  /** The state sent at the last tick, while streams are open. */
  private JsonObject last;
  private boolean stateFailing;

  Console(Vertx vertx, String nodeId, Clock clock, BearerAuth auth, FailedAuth failures, Sessions sessions,
      List<AdminEndpoint> endpoints, Supplier<JsonObject> node) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.clock = clock;
    this.auth = auth;
    this.failures = failures;
    this.sessions = sessions;
    this.endpoints = endpoints;
    this.node = node;
    this.events = new ConsoleEvents(clock);
  }

  /** Reads the page and assets from the jar (on a worker) and listens for the events of the feed. */
  Future<Void> start() {
    vertx.eventBus().<JsonObject>localConsumer(SupervisionEvents.ADDRESS, m -> events.supervision(m.body()));
    vertx.eventBus().<JsonObject>consumer(FaultRegistry.EVENTS_ADDRESS, m -> events.chaos(m.body()));
    vertx.eventBus().<JsonObject>localConsumer(RoutePolicy.EVENTS, m -> events.edge(m.body()));
    return vertx.executeBlocking(() -> {
      Map<String, Asset> read = new HashMap<>();
      read.put("", new Asset(resource(PAGE), "text/html; charset=utf-8"));
      ASSETS.forEach((name, path) -> read.put(name, new Asset(resource(path),
          name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8")));
      return read;
    }).map(read -> {
      assets.putAll(read);
      return null;
    });
  }

  private static Buffer resource(String path) {
    try (InputStream in = Console.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + path);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The routes open without a token: the page, its assets, signing in. Mounted before the token check. */
  void mountOpen(Router router) {
    // "/admin" matches "/admin/" too: the page's relative asset paths need the slash
    router.get("/admin").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        serve(ctx, assets.get(""));
      } else if (auth.enabled()) {
        ctx.redirect("/admin/");
      } else {
        ctx.next();
      }
    });
    router.get("/admin/assets/:name").handler(ctx -> serve(ctx, assets.get(ctx.pathParam("name"))));
    router.post("/admin/session").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::signIn);
  }

  /** The routes behind the token check: the session's details, signing out, the stream. */
  void mountGuarded(Router router) {
    router.get("/admin/session").handler(this::session);
    router.delete("/admin/session").handler(this::signOut);
    router.get("/admin/console/stream").handler(this::stream);
  }

  private void serve(RoutingContext ctx, Asset asset) {
    if (asset == null || !auth.enabled()) {
      ctx.next(); // the token check answers: 404 with the API off, 401 for an unknown asset
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .end(asset.body());
  }

  private void signIn(RoutingContext ctx) {
    if (!auth.enabled()) {
      ctx.next();
      return;
    }
    String remote = Audit.remote(ctx);
    if (BearerAuth.slowedDown(ctx, failures, remote, nodeId)) {
      return;
    }
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      // a cross-site form cannot send JSON: signing a browser in to someone else's session is off the table
      Problem.of("unsupported-media-type", "Unsupported Media Type", 415,
          "Sign in with a JSON body: {\"token\": \"...\"}.").send(ctx, nodeId);
      return;
    }
    String token;
    try {
      Object t = ctx.body().asJsonObject().getValue("token");
      token = t instanceof String s ? s : null;
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      token = null;
    }
    if (token == null || token.isEmpty()) {
      Problem.of("bad-request", "Bad Request", 400, "Sign in with a JSON body: {\"token\": \"...\"}.").send(ctx, nodeId);
      return;
    }
    BearerAuth.Match who = auth.matchToken(token);
    if (who == null) {
      failures.refused(remote, "sign-in", "unauthorized");
      Problem.of("unauthorized", "Unauthorized", 401, "That is not an admin token.").send(ctx, nodeId);
      return;
    }
    Sessions.Session s = sessions.create(who.credential().name(), who.credential().role(), who::stillValid);
    ctx.put(BearerAuth.TOKEN_NAME, who.credential().name());
    ctx.put(Audit.ACTION, "sign-in");
    ctx.response().addCookie(Cookie.cookie(Sessions.COOKIE, s.id()).setPath("/admin").setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT).setSecure(ctx.request().isSSL()).setMaxAge(sessions.ttl().toSeconds()));
    json(ctx, describe(s.name(), s.role(), s));
  }

  private void session(RoutingContext ctx) {
    Sessions.Session s = ctx.get(BearerAuth.SESSION);
    json(ctx, s != null ? describe(s.name(), s.role(), s)
        : new JsonObject().put("name", (String) ctx.get(BearerAuth.TOKEN_NAME)).put("via", "bearer"));
  }

  private void signOut(RoutingContext ctx) {
    Sessions.Session s = ctx.get(BearerAuth.SESSION);
    if (s == null) {
      Problem.of("no-session", "Conflict", 409, "Bearer tokens have no session to end; sign out from the console.")
          .send(ctx, nodeId);
      return;
    }
    sessions.end(s.id());
    ctx.put(Audit.ACTION, "sign-out");
    streams.values().removeIf(st -> {
      if (s.id().equals(st.sessionId)) {
        st.response.end();
        return true;
      }
      return false;
    });
    ctx.response().addCookie(Cookie.cookie(Sessions.COOKIE, "").setPath("/admin").setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
    ctx.response().setStatusCode(204).end();
  }

  private static JsonObject describe(String name, AdminRole role, Sessions.Session s) {
    return new JsonObject().put("name", name).put("role", role.id()).put("csrf", s.csrf())
        .put("expires", s.expires().toString()).put("via", "session");
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.encode());
  }

  private void stream(RoutingContext ctx) {
    if (streams.size() >= MAX_STREAMS) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      Problem.of("too-many-streams", "Service Unavailable", 503, "This node serves at most " + MAX_STREAMS
          + " console streams at once.").send(ctx, nodeId);
      return;
    }
    Buffer first;
    try {
      first = stateEvent(last != null ? last : state()); // a new viewer does not start a new p99 interval
    } catch (RuntimeException e) {
      LOG.warn("the console's state could not be gathered ({})", e.toString());
      Problem.of("unavailable", "Service Unavailable", 503, "The node's state cannot be gathered now; try again.")
          .send(ctx, nodeId);
      return;
    }
    Sessions.Session s = ctx.get(BearerAuth.SESSION);
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    Stream stream = new Stream(response, s == null ? null : s.id(), ctx.get(BearerAuth.STILL_VALID));
    streams.put(response, stream);
    response.closeHandler(v -> streams.remove(response));
    response.exceptionHandler(e -> streams.remove(response));
    response.write("retry: 2000\n\n");
    send(stream, first);
    if (timer < 0) {
      timer = vertx.setPeriodic(TICK_MS, t -> tick());
    }
  }

  private void tick() {
    if (streams.isEmpty()) {
      vertx.cancelTimer(timer);
      timer = -1;
      last = null;
      return;
    }
    Buffer event;
    try {
      last = state();
      event = stateEvent(last);
    } catch (RuntimeException e) { // a part of the node going away mid-shutdown, say: skip this second, say so once
      if (!stateFailing) {
        LOG.warn("the console's state could not be gathered ({}); streams wait for the next second", e.toString());
        stateFailing = true;
      }
      return;
    }
    stateFailing = false;
    for (Stream st : List.copyOf(streams.values())) {
      // signed out, expired, or its token taken away: the stream ends with what let it in; so does one stuck
      if (!st.valid.getAsBoolean() || !send(st, event)) {
        streams.remove(st.response);
        st.response.end();
      }
    }
  }

  /**
   * Writes unless the client is behind: a slow console skips a state (the next one is whole) rather than queue;
   * false once it has skipped {@link #MAX_SKIPPED} in a row.
   */
  static boolean send(Stream st, Buffer event) {
    if (st.response.writeQueueFull()) {
      return ++st.skipped < MAX_SKIPPED;
    }
    st.skipped = 0;
    st.response.write(event);
    return true;
  }

  private static Buffer stateEvent(JsonObject state) {
    return Buffer.buffer("event: state\ndata: ").appendString(state.encode()).appendString("\n\n");
  }

  /** The node's whole state now; the events feed learns what changed since the last one. */
  JsonObject state() {
    JsonObject state = new JsonObject().put("at", clock.instant().toString()).put("node", node.get());
    endpoints.forEach(e -> e.snapshot(state));
    events.compare(state);
    state.put("events", events.recent());
    return state;
  }
}
