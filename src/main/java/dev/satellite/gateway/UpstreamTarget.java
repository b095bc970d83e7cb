package dev.satellite.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import dev.satellite.http.RequestTraces;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * A route's upstream: a streaming reverse proxy on Vert.x's HTTP client, with one pool of kept-alive connections
 * per node ({@code edge.upstreamPoolSize}), shared by every listener instance. Bodies flow both ways as they
 * arrive, with back-pressure, never buffered whole — to an HTTP/1.0 client too, whose answer without a length is
 * delimited by closing the connection.
 * Hop-by-hop headers (RFC 9110 §7.6.1: {@code Connection} and the headers it names, {@code Keep-Alive},
 * {@code Proxy-*}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding}, {@code Upgrade}) stay on their
 * hop; the request gets {@code X-Forwarded-For/-Proto/-Host}, the request id, the trace context
 * ({@code traceparent}, with this node's span as the parent) and the time left before its deadline
 * ({@value RouteHandler#TIMEOUT_HEADER}); the deadline itself resets the upstream request when it passes.
 *
 * <p>Thread-safe: one per upstream route per node (the client is thread-safe); each {@link Exchange} is confined to
 * its request's event loop.
 */
final class UpstreamTarget {

  /**
   * The status an exchange ends with when its client went away first (as nginx logs it); nothing is sent, and
   * it says nothing about the upstream. (An upstream may answer 499 itself: {@link Exchange#hasResponse()} tells
   * the two apart.)
   */
  static final int CLIENT_CLOSED = 499;

  private static final CharSequence FORWARDED_FOR = HttpHeaders.createOptimized(ClientKeys.FORWARDED_FOR);
  private static final CharSequence FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");
  private static final CharSequence TIMEOUT = HttpHeaders.createOptimized(RouteHandler.TIMEOUT_HEADER);
  private static final CharSequence TRACEPARENT = HttpHeaders.createOptimized(RequestTraces.HEADER);
  private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

  private final Vertx vertx;
  private final HttpClient client;
  private final String host;
  private final int port;
  private final String basePath;
  /** The route checks bearer tokens itself: they are the node's credentials, not the upstream's, and stay here. */
  private final boolean keepAuthorization;

  UpstreamTarget(Vertx vertx, String baseUrl, int poolSize) {
    this(vertx, baseUrl, poolSize, false);
  }

  UpstreamTarget(Vertx vertx, String baseUrl, int poolSize, boolean keepAuthorization) {
    this.vertx = vertx;
    this.keepAuthorization = keepAuthorization;
    URI uri = URI.create(baseUrl);
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(poolSize));
  }

  Exchange exchange(RoutingContext ctx, long deadline, Clock clock, String requestId, String traceparent) {
    return new Exchange(ctx, deadline, clock, requestId, traceparent);
  }

  Future<Void> close() {
    return client.close();
  }

  /** An upstream answered with a 5xx: the target's failure, though its answer is passed on to the client. */
  static final class UpstreamStatus extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    UpstreamStatus(int status) {
      super("upstream answered " + status, null, false, false);
      this.status = status;
    }
  }

  /**
   * Copies end-to-end headers: everything but the hop-by-hop ones, those the {@code Connection} header names,
   * and {@code Host} (a request goes to the upstream's own authority).
   */
  static void copyEndToEnd(MultiMap from, MultiMap to) {
    copyEndToEnd(from, to, Set.of());
  }

  /** The same, leaving out the headers named in {@code own} (a set that ignores case, as {@code MultiMap.names()}). */
  static void copyEndToEnd(MultiMap from, MultiMap to, Set<String> own) {
    // the Connection header may come on several lines; each names hop-by-hop headers
    String[] named = from.contains(HttpHeaders.CONNECTION)
        ? String.join(",", from.getAll(HttpHeaders.CONNECTION)).trim().split("\\s*,\\s*") : NONE;
    for (Map.Entry<String, String> h : from) {
      String name = h.getKey();
      if (!hopByHop(name) && !namedIn(named, name) && !own.contains(name)) {
        to.add(name, h.getValue());
      }
    }
  }

  private static final String[] NONE = new String[0];

  /** RFC 9110 §7.6.1's hop-by-hop headers, and {@code Host}; compared without allocating. */
  static boolean hopByHop(String name) {
    return switch (name.length()) {
      case 2 -> name.equalsIgnoreCase("te");
      case 4 -> name.equalsIgnoreCase("host");
      case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
      case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 16 -> name.equalsIgnoreCase("proxy-connection");
      case 17 -> name.equalsIgnoreCase("transfer-encoding");
      case 18 -> name.equalsIgnoreCase("proxy-authenticate");
      case 19 -> name.equalsIgnoreCase("proxy-authorization");
      default -> false;
    };
  }

  private static boolean namedIn(String[] named, String name) {
    for (String n : named) {
      if (n.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** One request's trip to the upstream; may be sent again (a retry) while its body was not streamed yet. */
  final class Exchange {

    private final RoutingContext ctx;
    private final long deadline;
    private final Clock clock;
    private final String requestId;
    private final String traceparent;
    private final boolean bodiless;
    private HttpClientRequest out;
    private HttpClientResponse response;
    private long timer = -1;
    private boolean timedOut;
    private boolean clientGone;
    private boolean connected;
    private boolean bodySent;

    private Exchange(RoutingContext ctx, long deadline, Clock clock, String requestId, String traceparent) {
      this.ctx = ctx;
      this.deadline = deadline;
      this.clock = clock;
      this.requestId = requestId;
      this.traceparent = traceparent;
      this.bodiless = Bodies.absent(ctx.request());
      ctx.addEndHandler(ar -> {
        if (ar.failed()) { // the client's connection closed before its answer was sent
          clientGone = true;
          cancelTimer();
          if (out != null) {
            out.reset();
          }
        }
      });
    }

    /**
     * Sends the request; the future holds the upstream's status once its head arrived (its body is not read
     * yet), and fails for a connect failure, a reset, the deadline, or a 5xx ({@link UpstreamStatus}). When the
     * client went away first it succeeds with {@link #CLIENT_CLOSED}: not a failure of the upstream's.
     */
    Future<Integer> send() {
      release();
      connected = false;
      long left = deadline - clock.millis();
      if (left <= 0) {
        timedOut = true;
        return Future.failedFuture("deadline passed before the upstream was called");
      }
      HttpServerRequest in = ctx.request();
      RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(in.method())
          .setURI(basePath + in.uri()).setConnectTimeout(left);
      Promise<Integer> status = Promise.promise();
      client.request(options).onComplete(ar -> {
        if (ar.failed()) {
          answered(status, null, ar.cause());
          return;
        }
        HttpClientRequest request = ar.result();
        connected = true;
        out = request;
        if (clientGone || ctx.response().closed()) {
          request.reset();
          answered(status, null, null);
          return;
        }
        timer = vertx.setTimer(Math.max(1, deadline - clock.millis()), t -> {
          timedOut = true;
          request.reset();
        });
        forward(in, request, left);
        request.response().onComplete(r -> answered(status, r.result(), r.cause()));
      });
      return status.future();
    }

    /**
     * How the attempt ended: the upstream's status once its head arrived (its body waits, paused), a failure,
     * or {@link #CLIENT_CLOSED} when the client went away first, whatever became of the upstream call.
     */
    private void answered(Promise<Integer> status, HttpClientResponse r, Throwable failure) {
      if (clientGone || ctx.response().closed()) {
        status.complete(CLIENT_CLOSED);
      } else if (r == null) {
        status.fail(failure);
      } else {
        r.pause(); // its body waits until the answer is passed on (or dropped for a retry)
        response = r;
        int code = r.statusCode();
        if (code >= 500) {
          status.fail(new UpstreamStatus(code));
        } else {
          status.complete(code);
        }
      }
    }

    /** The request head with its end-to-end and forwarding headers, then the body, streamed once. */
    private void forward(HttpServerRequest in, HttpClientRequest request, long left) {
      MultiMap headers = request.headers();
      copyEndToEnd(in.headers(), headers);
      if (keepAuthorization) {
        headers.remove(HttpHeaders.AUTHORIZATION);
      }
      String peer = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
      if (peer != null) {
        String forwarded = in.getHeader(FORWARDED_FOR);
        headers.set(FORWARDED_FOR, forwarded == null ? peer : forwarded + ", " + peer);
      }
      headers.set(FORWARDED_PROTO, in.scheme() == null ? "http" : in.scheme());
      HostAndPort authority = in.authority();
      if (authority != null) {
        headers.set(FORWARDED_HOST, authority.toString());
      }
      if (requestId != null) {
        headers.set(REQUEST_ID, requestId);
      }
      if (traceparent != null) {
        headers.set(TRACEPARENT, traceparent);
      }
      headers.set(TIMEOUT, Long.toString(left));
      if (bodiless || bodySent) {
        // a resend happens only for a request without a body, or whose body never left the socket
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        request.end();
        in.resume(); // nothing to stream: let the request's end through (it was paused for the policies)
        return;
      }
      bodySent = true;
      if (!headers.contains(HttpHeaders.CONTENT_LENGTH)) {
        request.setChunked(true);
      }
      in.pipeTo(request).onFailure(t -> request.reset());
    }

    /**
     * Streams the upstream's answer to the client. The upstream request stays known to the end handler: a
     * client that leaves while the answer streams resets it, so its connection does not wait on a stalled
     * upstream or a stalled pipe.
     */
    void finish() {
      cancelTimer();
      HttpClientResponse r = response;
      response = null;
      HttpClientRequest request = out;
      if (r == null) {
        return;
      }
      HttpServerResponse res = ctx.response();
      res.setStatusCode(r.statusCode());
      if (r.statusMessage() != null) {
        res.setStatusMessage(r.statusMessage());
      }
      // the node's own headers (request id, rate-limit state) win over an upstream's of the same name
      copyEndToEnd(r.headers(), res.headers(), res.headers().names());
      int status = r.statusCode();
      boolean noBody = ctx.request().method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
      if (!noBody && !r.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
        if (ctx.request().version() == HttpVersion.HTTP_1_0) {
          // HTTP/1.0 has no chunked encoding: the body streams as it comes, and closing the connection ends it
          // (RFC 9112 §6.3); the connection is not kept alive, whatever the client asked
          res.headersEndHandler(v -> res.headers().set(HttpHeaders.CONNECTION, CLOSE));
          r.pipeTo(res).onComplete(ar -> {
            if (ar.failed()) {
              failed(request);
            } else {
              ctx.request().connection().close();
            }
          });
          return;
        }
        res.setChunked(true);
      }
      r.pipeTo(res).onFailure(t -> failed(request));
    }

    private void failed(HttpClientRequest request) {
      if (request != null) {
        request.reset();
      }
      ctx.request().connection().close();
    }

    /** The upstream answered (5xx) and its answer should reach the client as it is. */
    boolean hasResponse() {
      return response != null;
    }

    int responseStatus() {
      return response == null ? 0 : response.statusCode();
    }

    /** Drops whatever came back; the client gets the node's own answer instead. */
    void abandon() {
      cancelTimer();
      if (response == null && out != null) {
        out.reset(); // a failed exchange gives its pooled connection back
      }
      out = null;
      release();
    }

    /** Reads and drops an answer that will not be passed on, so its connection goes back to the pool. */
    private void release() {
      if (response != null) {
        HttpClientResponse r = response;
        response = null;
        r.handler(null).resume();
      }
    }

    private void cancelTimer() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    boolean timedOut() {
      return timedOut;
    }

    /**
     * Whether sending again is safe: nothing reached the upstream (connect failure), or the request has no
     * body to replay and the upstream answered 502/503.
     */
    boolean mayResend() {
      if (!connected) {
        return true;
      }
      int status = responseStatus();
      return (status == 502 || status == 503) && bodiless;
    }

    /** The status the client gets for a failure that has no upstream answer to pass on. */
    int failedStatus() {
      return timedOut ? 504 : 502;
    }
  }
}
