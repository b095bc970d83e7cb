package dev.satellite.bench.peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

/**
 * The floor of Vert.x for the side-by-side benchmark: a bare vertx-core HTTP server, one verticle per event
 * loop, answering {@code GET /hello} with {@code Hello, World!} and {@code POST /echo} with the JSON it got.
 * Run: {@code java -cp … dev.satellite.bench.peers.RawVertxServer PORT}.
 */
public final class RawVertxServer extends VerticleBase {

  private static final Buffer HELLO = Buffer.buffer("Hello, World!");
  private final int port;

  private RawVertxServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(req -> {
      if (req.method() == HttpMethod.GET && req.path().equals("/hello")) {
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(HELLO);
      } else if (req.method() == HttpMethod.POST && req.path().equals("/echo")) {
        req.body().onSuccess(body -> req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body));
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(port, "127.0.0.1");
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new RawVertxServer(port), new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE))
        .onSuccess(id -> System.out.println("raw vert.x listening on " + port))
        .onFailure(t -> {
          t.printStackTrace();
          System.exit(1);
        });
  }
}
