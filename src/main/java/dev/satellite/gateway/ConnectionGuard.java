package dev.satellite.gateway;

import dev.satellite.http.ClientErrors;
import dev.satellite.http.Problem;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Guards the public listener's connections, node-wide: at most {@code edge.maxConnections} are open at once (one
 * more is answered 503 and closed at once, so a flood of connections cannot run the node out of file descriptors;
 * Kubernetes' probes go to the admin listener, which this cap does not touch), and every request head must be in
 * full within {@code edge.headerReadTimeout} of its first byte — the first one within that of the connection being
 * opened — or the connection is answered 408 and closed (a client that trickles header bytes, slowloris-style, can
 * hold a connection that long and no longer; bodies have {@code edge.requestReadTimeout}). A connection's decoder is
 * replaced by the {@link StrictRequestDecoder}, and a body whose chunked framing is broken is answered 400 and its
 * connection closed. Each refusal is a client's mistake ({@link ClientErrors}): counted, logged at most once per
 * interval, never with a stack trace.
 *
 * <p>The guards sit in the connection's Netty pipeline, put there when Vert.x hands the connection over: at accept
 * for HTTP/1.x. With cleartext HTTP/2 on ({@code http.h2c: true}) Vert.x hands a connection over only once its first
 * request head is in, so that head is read without these guards (a connection that never completes one is closed by
 * {@code edge.idleTimeout}), and the decoder, busy with it, is left as Vert.x made it (no strict framing checks);
 * the following heads are timed.
 *
 * <p>Thread-safe: the count is atomic; each connection's guards run on its own event loop.
 */
final class ConnectionGuard {

  static final String TIMER = "satellite-head-timer";
  static final String WATCH = "satellite-head-watch";
  private static final String DECODER = "httpDecoder";

  private final int max;
  private final long headTimeoutNanos;
  private final HttpServerOptions options;
  private final ClientErrors errors;
  private final String nodeId;
  private final AtomicInteger open = new AtomicInteger();
  private final Counter refused;
  private final ByteBuf overloaded;
  private final ByteBuf slowHead;
  private final ByteBuf badBody;

  ConnectionGuard(int maxConnections, Duration headerReadTimeout, HttpServerOptions options, ClientErrors errors,
      MeterRegistry registry, String nodeId) {
    this.max = maxConnections;
    this.headTimeoutNanos = headerReadTimeout.toNanos();
    this.options = options;
    this.errors = errors;
    this.nodeId = nodeId;
    Gauge.builder(MetricNames.HTTP_CONNECTIONS, open, AtomicInteger::get)
        .description("Open connections of the public listener").register(registry);
    this.refused = Counter.builder(MetricNames.HTTP_CONNECTIONS_REFUSED)
        .description("Connections refused at once because edge.maxConnections were open").register(registry);
    this.overloaded = raw(503, "Service Unavailable", Problem.of("too-many-connections", "Service Unavailable", 503,
        "The node has its maximum of " + maxConnections + " connections open; try again shortly."), "Retry-After: 1\r\n");
    this.slowHead = raw(408, "Request Timeout", Problem.of("request-timeout", "Request Timeout", 408,
        "The request head did not arrive in full within " + headerReadTimeout.toMillis() + " ms."), "");
    this.badBody = raw(400, "Bad Request", Problem.of("malformed-request", "Bad Request", 400,
        "The request body's framing could not be parsed."), "");
  }

  int open() {
    return open.get();
  }

  /** The public listener's connection handler: counts the connection, refuses it over the cap, guards it. */
  void accept(HttpConnection connection) {
    int n = open.incrementAndGet();
    connection.closeHandler(v -> open.decrementAndGet());
    Channel channel = connection instanceof ConnectionBase base ? base.channel() : null;
    if (n > max) {
      refused.increment();
      errors.report("too-many-connections", "a connection from " + connection.remoteAddress() + " refused: " + max
          + " are open (edge.maxConnections)");
      if (channel != null && channel.pipeline().get(DECODER) != null) {
        writeAndClose(channel.pipeline().firstContext(), overloaded);
      } else {
        connection.close();
      }
      return;
    }
    if (channel == null) {
      return;
    }
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(DECODER) == null) {
      return; // HTTP/2: no request heads to time; its frames are the HTTP/2 codec's
    }
    // without h2c Vert.x hands a connection over at accept, before a byte was read; with it, only once the first
    // request head was decoded — in the middle of the decoder's work, where it must not be replaced
    boolean fresh = !options.isHttp2ClearTextEnabled();
    if (fresh) {
      pipeline.replace(DECODER, DECODER, new StrictRequestDecoder(options));
    }
    HeadTimer timer = new HeadTimer(String.valueOf(connection.remoteAddress()), fresh);
    pipeline.addFirst(TIMER, timer);
    pipeline.addAfter(DECODER, WATCH, new HeadWatch(timer));
  }

  private static void writeAndClose(ChannelHandlerContext first, ByteBuf response) {
    // written from the front of the pipeline: straight to the socket, past Vert.x's encoder
    first.writeAndFlush(response.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
  }

  private ByteBuf raw(int status, String reason, Problem problem, String extraHeaders) {
    byte[] body = problem.toJson(nodeId, null, null).encode().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason + "\r\n" + extraHeaders + "Content-Type: " + Problem.CONTENT_TYPE
        + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body).asReadOnly());
  }

  /**
   * First in the pipeline: sees raw bytes. The first byte of a request head starts the timer; the head arriving in
   * full (seen by {@link HeadWatch}) stops it.
   */
  private final class HeadTimer extends ChannelInboundHandlerAdapter {

    private final String remote;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean awaitingHead;
    /** The guard answered this connection itself and is closing it: nothing more reaches the listener. */
    private boolean closing;

    /** @param fresh whether no byte was read yet (else the first request's head is in already) */
    HeadTimer(String remote, boolean fresh) {
      this.remote = remote;
      this.awaitingHead = fresh;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
      if (awaitingHead) {
        start(); // the first head: from the moment the connection is open
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (awaitingHead && timer == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
        start();
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      cancel();
      super.channelInactive(ctx);
    }

    private void start() {
      timer = ctx.executor().schedule(this::expired, headTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }

    void headArrived() {
      awaitingHead = false;
      cancel();
    }

    void requestEnded() {
      awaitingHead = true; // the next byte starts the next head's timer
    }

    private void expired() {
      timer = null;
      if (awaitingHead && ctx.channel().isActive()) {
        closing = true;
        errors.report("slow-request-head", remote + " sent no complete request head within "
            + headTimeoutNanos / 1_000_000 + " ms (edge.headerReadTimeout); answered 408 and closed");
        writeAndClose(ctx, slowHead);
      }
    }

    void malformedBody(String why) {
      cancel();
      awaitingHead = false;
      closing = true;
      errors.report("malformed-body", remote + ": " + why + "; answered 400 and closed");
      writeAndClose(ctx, badBody);
    }
  }

  /** Right after the decoder: sees request heads and body parts, and bodies whose framing did not parse. */
  private static final class HeadWatch extends ChannelInboundHandlerAdapter {

    private final HeadTimer timer;

    HeadWatch(HeadTimer timer) {
      this.timer = timer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (timer.closing) {
        // (the partial head the decoder gives up on as the connection closes, say: already answered)
        io.netty.util.ReferenceCountUtil.release(msg);
        return;
      }
      if (msg instanceof HttpRequest) {
        timer.headArrived(); // (a head that failed to decode goes on to the listener's invalid-request handler)
      } else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
        // a chunk size that does not parse, say: the client's mistake, and nothing after it can be read
        String why = content.decoderResult().cause() == null ? "malformed body"
            : content.decoderResult().cause().getMessage();
        io.netty.util.ReferenceCountUtil.release(msg);
        timer.malformedBody(why);
        return;
      }
      if (msg instanceof LastHttpContent) {
        timer.requestEnded();
      }
      super.channelRead(ctx, msg);
    }
  }
}
