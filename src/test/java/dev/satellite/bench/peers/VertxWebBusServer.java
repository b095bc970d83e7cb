package dev.satellite.bench.peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The building blocks Satellite stands on, and nothing of its own: a vertx-web route and one event-bus
 * request/reply to a consumer on the same event loop, for the side-by-side benchmark. {@code GET /hello} asks
 * the consumer, which answers {@code Hello, World!}; {@code POST /echo} sends the JSON body to it and answers
 * what comes back. No policies, no metrics, no request ids: Satellite over this peer is the cost of its own
 * edge stack; this peer over raw vertx-core is the cost of the router and the bus hop. Vert.x defaults, one
 * verticle (and consumer) per event loop. Run: {@code java -cp … dev.satellite.bench.peers.VertxWebBusServer PORT}.
 */
public final class VertxWebBusServer extends VerticleBase {

  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final Buffer HELLO = Buffer.buffer("Hello, World!");
  private final int port;

  private VertxWebBusServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    String address = "hello." + INSTANCES.incrementAndGet(); // this loop's own consumer
    vertx.eventBus().<Object>localConsumer(address, m -> m.reply(m.body() == null ? HELLO : m.body()));
    DeliveryOptions deadline = new DeliveryOptions().setSendTimeout(1000);
    Router router = Router.router(vertx);
    router.get("/hello").handler(ctx -> vertx.eventBus().<Buffer>request(address, null, deadline)
        .onSuccess(reply -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
            .end(reply.body()))
        .onFailure(ctx::fail));
    router.post("/echo").handler(BodyHandler.create(false)).handler(ctx -> vertx.eventBus()
        .<Buffer>request(address, ctx.body().buffer(), deadline)
        .onSuccess(reply -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body()))
        .onFailure(ctx::fail));
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VertxWebBusServer(port),
            new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE))
        .onSuccess(id -> System.out.println("vertx-web + bus listening on " + port))
        .onFailure(t -> {
          t.printStackTrace();
          System.exit(1);
        });
  }
}
