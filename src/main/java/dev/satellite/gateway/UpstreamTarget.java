package dev.satellite.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.net.URI;
import java.time.Clock;

/**
 * A route's upstream: a streaming reverse proxy (vertx-http-proxy) with its own connection pool. Bodies
 * flow both ways without being buffered whole; the request carries {@code X-Forwarded-For/-Proto/-Host},
 * the request id, and the time left before its deadline ({@value RouteHandler#TIMEOUT_HEADER}); the
 * deadline itself resets the upstream request when it passes.
 *
 * <p>Event-loop confined: one per route per listener instance.
 */
final class UpstreamTarget {

  private final Vertx vertx;
  private final HttpClient client;
  private final String host;
  private final int port;
  private final String basePath;

  UpstreamTarget(Vertx vertx, String baseUrl, int poolSize) {
    this.vertx = vertx;
    URI uri = URI.create(baseUrl);
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : 80;
    this.basePath = uri.getRawPath() == null ? "" : uri.getRawPath();
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(poolSize));
  }

  Exchange exchange(RoutingContext ctx, long deadline, Clock clock, String requestId) {
    return new Exchange(ctx, deadline, clock, requestId);
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

  /** One request's trip to the upstream; may be sent again (a retry) while nothing was streamed yet. */
  final class Exchange {

    private final RoutingContext ctx;
    private final long deadline;
    private final Clock clock;
    private final String requestId;
    private ProxyResponse response;
    private long timer = -1;
    private boolean timedOut;
    private boolean connected;
    private boolean bodySent;
    private ProxyRequest proxied;
    private io.vertx.core.http.HttpClientRequest out;

    private Exchange(RoutingContext ctx, long deadline, Clock clock, String requestId) {
      this.ctx = ctx;
      this.deadline = deadline;
      this.clock = clock;
      this.requestId = requestId;
    }

    /**
     * Sends the request; the future holds the upstream's status once its headers arrived (its body is not read
     * yet), and fails for a connect failure, a reset, the deadline, or a 5xx ({@link UpstreamStatus}).
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
      if (proxied == null) {
        proxied = prepare(in);
      } else if (bodySent) {
        // a resend after an answer happens only for a request without a body: its stream has ended
        proxied.setBody(Body.body(Buffer.buffer()));
      }
      proxied.headers().set(RouteHandler.TIMEOUT_HEADER, Long.toString(left));
      RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(in.method())
          .setConnectTimeout(left);
      return client.request(options).compose(request -> {
        connected = true;
        out = request;
        timer = vertx.setTimer(Math.max(1, deadline - clock.millis()), t -> {
          timedOut = true;
          request.reset();
        });
        bodySent = true;
        return proxied.send(request);
      }).compose(r -> {
        response = r;
        int status = r.getStatusCode();
        return status >= 500 ? Future.failedFuture(new UpstreamStatus(status)) : Future.succeededFuture(status);
      });
    }

    /** The proxied request, once: vertx-http-proxy takes over the incoming request's stream. */
    private ProxyRequest prepare(HttpServerRequest in) {
      ProxyRequest request = ProxyRequest.reverseProxy(in);
      request.setURI(basePath + in.uri());
      request.setAuthority(HostAndPort.create(host, port));
      String peer = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
      String forwarded = in.getHeader(ClientKeys.FORWARDED_FOR);
      if (peer != null) {
        request.headers().set(ClientKeys.FORWARDED_FOR, forwarded == null ? peer : forwarded + ", " + peer);
      }
      request.headers().set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
      if (in.authority() != null) {
        request.headers().set("X-Forwarded-Host", in.authority().toString());
      }
      if (requestId != null) {
        request.headers().set("X-Request-Id", requestId);
      }
      return request;
    }

    /** Streams the upstream's answer to the client. */
    void finish() {
      cancelTimer();
      out = null;
      if (response != null) {
        ProxyResponse r = response;
        response = null;
        r.send().onFailure(t -> ctx.request().connection().close());
      }
    }

    /** The upstream answered (5xx) and its answer should reach the client as it is. */
    boolean hasResponse() {
      return response != null;
    }

    int responseStatus() {
      return response == null ? 0 : response.getStatusCode();
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

    private void release() {
      if (response != null) {
        response.release();
        response = null;
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
      return (status == 502 || status == 503) && Bodies.absent(ctx.request());
    }

    /** The status the client gets for a failure that has no upstream answer to pass on. */
    int failedStatus() {
      return timedOut ? 504 : 502;
    }
  }

}
