package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.NodeHarness;
import dev.satellite.support.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each edge policy seen from a client: status, headers, problem body, and what reached the target. */
@ExtendWith(VertxExtension.class)
@Timeout(60_000)
class EdgeBehaviourTest {

  private static final String TOKEN = "edge-token";
  private static final String SLOW_ECHO = "supervision.children=[{id: hello, actor: hello, instances: 2},"
      + " {id: whoami, actor: whoami}, {id: echo, actor: echo, settings: {delay: 400ms}}]";

  private NodeHarness h;
  private TestUpstream upstream;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    if (upstream != null) {
      NodeHarness.await(upstream.close());
    }
  }

  private int startUpstream(Vertx vertx) throws Exception {
    upstream = new TestUpstream();
    return NodeHarness.await(upstream.start(vertx));
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return h.get(path);
  }

  private JsonObject edges(String route) throws Exception {
    JsonObject all = h.admin("/admin/edges", "Bearer " + TOKEN).bodyAsJsonObject();
    for (Object r : all.getJsonArray("routes")) {
      if (((JsonObject) r).getString("route").equals(route)) {
        return (JsonObject) r;
      }
    }
    throw new AssertionError("no route " + route + " in " + all);
  }

  @Test
  void rateLimitedRequestsGet429WithRetryAfterAndRateLimitHeaders(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN,
        "routes=[{path: /limited, methods: [GET], actor: hello, rateLimit: {rps: 1, burst: 2}}]");
    assertThat(get("/limited").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> second = get("/limited");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.getHeader("RateLimit-Policy")).isEqualTo("\"route\";q=2;w=2");
    HttpResponse<Buffer> refused = get("/limited");
    h.assertProblem(refused, 429);
    assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/rate-limited");
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertThat(refused.getHeader("RateLimit")).isEqualTo("\"route\";r=0;t=1");
    assertThat(edges("/limited").getJsonObject("rateLimit").getLong("refused")).isEqualTo(1L);
    assertThat(h.admin("/metrics", null).bodyAsString())
        .contains("satellite_edge_requests_total{outcome=\"rate_limited\",route=\"/limited\"} 1.0");
  }

  @Test
  void aFullBulkheadRefusesAtOnceWith503(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, SLOW_ECHO,
        "routes=[{path: /echo, methods: [POST], actor: echo, concurrency: 1}]");
    Future<HttpResponse<Buffer>> first = io.vertx.ext.web.client.WebClient.create(vertx)
        .post(h.node.config().http().port(), "127.0.0.1", "/echo").sendJsonObject(new JsonObject().put("n", 1));
    long waited = 0;
    while (edges("/echo").getJsonObject("bulkhead").getInteger("inFlight") < 1 && waited++ < 200) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    long t0 = System.nanoTime();
    HttpResponse<Buffer> refused = h.call(HttpMethod.POST, false, "/echo", r -> r.putHeader("content-type", "application/json"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(300));
    h.assertProblem(refused, 503);
    assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/bulkhead-full");
    assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
    assertThat(NodeHarness.await(first).statusCode()).isEqualTo(200);
    assertThat(edges("/echo").getJsonObject("bulkhead").getLong("refused")).isEqualTo(1L);
  }

  @Test
  void theBreakerOpensFailsFastHalfOpensAndCloses(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    dev.satellite.support.FakeClock clock = new dev.satellite.support.FakeClock();
    h = NodeHarness.start(vertx, clock, "admin.token=" + TOKEN, "routes=[{path: /up/*, methods: [GET], upstream: 'http://127.0.0.1:"
        + port + "', breaker: {maxFailures: 2, window: 10s, resetTimeout: 500ms}, retry: {attempts: 1}}]");
    upstream.status.set(500);
    assertThat(get("/up/status").statusCode()).isEqualTo(500); // the upstream's own answer passes through
    assertThat(get("/up/status").statusCode()).isEqualTo(500);
    int hits = upstream.hits.get();
    HttpResponse<Buffer> open = get("/up/status");
    h.assertProblem(open, 503);
    assertThat(open.bodyAsJsonObject().getString("type")).endsWith("/breaker-open");
    assertThat(open.getHeader("Retry-After")).isEqualTo("1");
    assertThat(upstream.hits.get()).as("an open breaker does not touch the upstream").isEqualTo(hits);
    assertThat(edges("/up/*").getJsonObject("breaker").getString("state")).isEqualTo("open");

    upstream.status.set(200);
    clock.advanceMillis(500); // past resetTimeout (on the node's injected clock): the next call is the probe
    assertThat(get("/up/status").statusCode()).isEqualTo(200);
    assertThat(edges("/up/*").getJsonObject("breaker").getString("state")).isEqualTo("closed");
    assertThat(h.admin("/metrics", null).bodyAsString())
        .contains("satellite_breaker_transitions_total{route=\"/up/*\",state=\"open\"} 1.0")
        .contains("satellite_breaker_transitions_total{route=\"/up/*\",state=\"closed\"} 1.0")
        .contains("satellite_breaker_state{route=\"/up/*\"} 0.0");
  }

  @Test
  void theDeadlineTravelsToTheUpstreamAndA504ComesAtIt(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "routes=[{path: /up/*, upstream: 'http://127.0.0.1:" + port
        + "', timeout: 300ms}]");
    JsonObject seen = get("/up/headers").bodyAsJsonObject();
    assertThat(Long.parseLong(seen.getString("x-request-timeout-ms"))).isBetween(1L, 300L);
    assertThat(seen.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.getString("x-request-id")).matches("[0-9a-f]{32}");
    assertThat(seen.getString("host")).as("the upstream's own authority").isEqualTo("127.0.0.1:" + port);
    assertThat(seen.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + h.node.config().http().port());
    HttpResponse<Buffer> own = get("/up/headers");
    assertThat(own.headers().getAll("X-Request-Id")).as("the node's request id wins over the upstream's")
        .containsExactly(own.bodyAsJsonObject().getString("x-request-id"));
    // hop-by-hop headers, and the ones the client's Connection header names, stay on the client's hop
    JsonObject hop = h.call(HttpMethod.GET, false, "/up/headers", r -> r.putHeader("Connection", "keep-alive, X-Hop")
        .putHeader("X-Hop", "secret").putHeader("TE", "trailers").putHeader("Proxy-Authorization", "Basic eA==")
        .putHeader("X-End-To-End", "kept")).bodyAsJsonObject();
    assertThat(hop.fieldNames()).doesNotContain("x-hop", "te", "proxy-authorization").contains("x-end-to-end");

    long t0 = System.nanoTime();
    HttpResponse<Buffer> late = get("/up/slow");
    h.assertProblem(late, 504);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
    // and a client can only shorten it
    HttpResponse<Buffer> shorter = h.call(HttpMethod.GET, false, "/up/headers", r -> r.putHeader("X-Request-Timeout-Ms", "50"));
    assertThat(Long.parseLong(shorter.bodyAsJsonObject().getString("x-request-timeout-ms"))).isLessThanOrEqualTo(50L);
  }

  @Test
  void retriesStopWhenTheBudgetIsSpent(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    upstream.status.set(503);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "routes=[{path: /up/*, upstream: 'http://127.0.0.1:" + port
        + "', breaker: {maxFailures: 0}, retry: {attempts: 3, budget: 0, minPerSecond: 1}}]");
    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> r = get("/up/status");
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
    }
    // 20 first attempts + the budget's floor of 1 retry per second over the 10 s window = 10 retries
    assertThat(upstream.hits.get()).isEqualTo(30);
    JsonObject retry = edges("/up/*").getJsonObject("retry");
    assertThat(retry.getLong("retries")).isEqualTo(10L);
    assertThat(retry.getLong("budgetLeft")).isZero();
    // a POST is never retried
    int before = upstream.hits.get();
    h.call(HttpMethod.POST, false, "/up/status", r -> r);
    assertThat(upstream.hits.get()).isEqualTo(before + 1);
  }

  @Test
  void theProxyStreamsALargeBodyWithoutBufferingItWhole(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "edge.maxBodySize=1024",
        "routes=[{path: /up/*, upstream: 'http://127.0.0.1:" + port + "', timeout: 30s}]");
    HttpClient client = vertx.createHttpClient();
    HttpClientRequest request = NodeHarness.await(client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(h.node.config().http().port()).setURI("/up/stream")));
    request.setChunked(true);
    // read the answer as soon as it comes (the body is lost if nobody listens when it arrives)
    Future<String> response = request.response().compose(r -> r.body().map(b -> r.statusCode() + " " + b));
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    request.write(chunk);
    // the upstream sees bytes while the client has not finished: nothing waits for the whole body
    NodeHarness.await(upstream.firstBytes.future());
    long total = chunk.length();
    for (int i = 0; i < 255; i++) {
      NodeHarness.await(request.write(chunk));
      total += chunk.length();
    }
    request.end();
    assertThat(NodeHarness.await(response)).isEqualTo("200 " + total); // 16 MiB, well past maxBodySize
  }

  @Test
  void aNodeOverItsInFlightLimitShedsRoutesButNeverHealth(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, SLOW_ECHO, "edge.maxInFlight=1");
    Future<HttpResponse<Buffer>> slow = io.vertx.ext.web.client.WebClient.create(vertx)
        .post(h.node.config().http().port(), "127.0.0.1", "/echo").sendJsonObject(new JsonObject());
    long waited = 0;
    while (edges("/echo").getJsonObject("bulkhead").getInteger("inFlight") < 1 && waited++ < 200) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    HttpResponse<Buffer> shed = get("/hello");
    h.assertProblem(shed, 503);
    assertThat(shed.bodyAsJsonObject().getString("type")).endsWith("/overloaded");
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(h.admin("/metrics", null).statusCode()).isEqualTo(200);
    assertThat(NodeHarness.await(slow).statusCode()).isEqualTo(200);
    assertThat(h.admin("/admin/edges", "Bearer " + TOKEN).bodyAsJsonObject().getJsonObject("shedding").getLong("shed"))
        .isEqualTo(1L);
  }

  @Test
  void badRequestsGet4xxProblemJsonAndTheNodeCarriesOn(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "edge.maxBodySize=1000");
    HttpResponse<Buffer> tooBig = h.call(HttpMethod.POST, false, "/echo",
        r -> r.putHeader("content-type", "application/json")).statusCode() == 0 ? null
        : NodeHarness.await(io.vertx.ext.web.client.WebClient.create(vertx)
            .post(h.node.config().http().port(), "127.0.0.1", "/echo")
            .sendJsonObject(new JsonObject().put("x", "y".repeat(5000))));
    h.assertProblem(tooBig, 413);
    HttpResponse<Buffer> badJson = NodeHarness.await(io.vertx.ext.web.client.WebClient.create(vertx)
        .post(h.node.config().http().port(), "127.0.0.1", "/echo").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("{not json")));
    h.assertProblem(badJson, 400);
    HttpResponse<Buffer> hugeHeader = h.call(HttpMethod.GET, false, "/hello", r -> r.putHeader("X-Big", "a".repeat(20_000)));
    assertThat(hugeHeader.statusCode()).isEqualTo(431);
    assertThat(hugeHeader.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(get("/hello").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> badTimeout = h.call(HttpMethod.GET, false, "/hello", r -> r.putHeader("X-Request-Timeout-Ms", "soon"));
    h.assertProblem(badTimeout, 400);
  }

  @Test
  void aClientsOwnShortDeadlineDoesNotCountAgainstTheTarget(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, SLOW_ECHO,
        "routes=[{path: /echo, methods: [POST], actor: echo, timeout: 2s, breaker: {maxFailures: 2}}]");
    io.vertx.ext.web.client.WebClient web = io.vertx.ext.web.client.WebClient.create(vertx);
    for (int i = 0; i < 4; i++) {
      HttpResponse<Buffer> late = NodeHarness.await(web.post(h.node.config().http().port(), "127.0.0.1", "/echo")
          .putHeader("X-Request-Timeout-Ms", "100").sendJsonObject(new JsonObject()));
      h.assertProblem(late, 504);
    }
    assertThat(edges("/echo").getJsonObject("breaker").getString("state")).isEqualTo("closed");
    assertThat(NodeHarness.await(web.post(h.node.config().http().port(), "127.0.0.1", "/echo")
        .sendJsonObject(new JsonObject().put("ok", true))).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatLeavesMidRequestDoesNotCountAgainstTheUpstream(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "routes=[{path: /up/*, methods: [GET], upstream: 'http://127.0.0.1:"
        + port + "', timeout: 5s, breaker: {maxFailures: 2, window: 10s, resetTimeout: 30s}, retry: {attempts: 1}}]");
    for (int i = 0; i < 4; i++) {
      // a client that sends a request and goes away while the upstream is still working on it (/slow takes 2 s)
      io.vertx.core.net.NetSocket socket = NodeHarness.await(vertx.createNetClient()
          .connect(h.node.config().http().port(), "127.0.0.1"));
      NodeHarness.await(socket.write("GET /up/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
      int before = upstream.hits.get();
      for (int wait = 0; wait < 100 && upstream.hits.get() == before; wait++) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      NodeHarness.await(socket.close());
    }
    TimeUnit.MILLISECONDS.sleep(200); // let the node see the resets
    JsonObject route = edges("/up/*");
    assertThat(route.getJsonObject("breaker").getString("state")).as(route.encode()).isEqualTo("closed");
    assertThat(route.getJsonObject("outcomes").getLong("upstream_error")).isZero();
    assertThat(route.getJsonObject("outcomes").getLong("client_closed")).isEqualTo(4);
    assertThat(get("/up/status").statusCode()).isEqualTo(200);
  }

  @Test
  void aRefusedRequestWithABodyDoesNotStallItsConnection(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "routes=[{path: /up/*, upstream: 'http://127.0.0.1:" + port
        + "', rateLimit: {rps: 1, burst: 1}}]");
    // one kept-alive connection for all three; the body is larger than what the server buffers for a paused
    // request, so a refused body left unread would hold up the next request on that connection
    HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(1));
    RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(h.node.config().http().port()).setURI("/up/status").setTimeout(5000);
    Buffer body = Buffer.buffer(new byte[512 * 1024]);
    assertThat(status(client, post, body)).isEqualTo(200);
    assertThat(status(client, post, body)).isEqualTo(429);
    assertThat(status(client, new RequestOptions(post).setMethod(HttpMethod.GET), null)).isEqualTo(429);
  }

  private static int status(HttpClient client, RequestOptions options, Buffer body) throws Exception {
    return NodeHarness.await(client.request(options).compose(r -> body == null ? r.send() : r.send(body))
        .compose(r -> r.body().map(b -> r.statusCode())));
  }

  @Test
  void http2ClientsReachUpstreamRoutesWithTheirAuthorityAndBodies(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "http.h2c=true", "routes=[{path: /up/*, upstream: 'http://127.0.0.1:" + port + "'}]");
    int node = h.node.config().http().port();
    // h2c with prior knowledge: the authority comes as :authority, with no Host header
    HttpClient h2 = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    RequestOptions get = new RequestOptions().setHost("127.0.0.1").setPort(node).setURI("/up/headers");
    JsonObject seen = NodeHarness.await(h2.request(get).compose(r -> r.send()).compose(r -> {
      assertThat(r.version()).isEqualTo(io.vertx.core.http.HttpVersion.HTTP_2);
      return r.body();
    })).toJsonObject();
    assertThat(seen.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + node);
    // an HTTP/2 body needs no Content-Length: it must reach the upstream all the same
    RequestOptions put = new RequestOptions(get).setMethod(HttpMethod.PUT).setURI("/up/stream");
    String answer = NodeHarness.await(h2.request(put).compose(r -> {
      r.setChunked(true); // (over HTTP/2: no content-length header)
      r.write(Buffer.buffer(new byte[1000]));
      return r.end(Buffer.buffer(new byte[234])).compose(v -> r.response());
    }).compose(r -> r.body().map(b -> r.statusCode() + " " + b)));
    assertThat(answer).isEqualTo("200 1234");
  }

  @Test
  void aRequestNamingNoAuthorityIsRefusedBeforeTheUpstream(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "routes=[{path: /up/*, upstream: 'http://127.0.0.1:" + port + "'}]");
    io.vertx.core.net.NetSocket socket = NodeHarness.await(vertx.createNetClient()
        .connect(h.node.config().http().port(), "127.0.0.1"));
    io.vertx.core.Promise<String> head = io.vertx.core.Promise.promise();
    Buffer seen = Buffer.buffer();
    socket.handler(b -> {
      seen.appendBuffer(b);
      if (seen.toString().contains("\r\n")) {
        head.tryComplete(seen.toString().substring(0, seen.toString().indexOf("\r\n")));
      }
    });
    NodeHarness.await(socket.write("GET /up/status HTTP/1.0\r\n\r\n")); // HTTP/1.0 may leave Host out
    assertThat(NodeHarness.await(head.future())).isEqualTo("HTTP/1.0 400 Bad Request");
    assertThat(upstream.hits.get()).isZero();
  }

  @Test
  void anUpstreamsOwn499ReachesTheClient(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "routes=[{path: /up/*, methods: [GET], upstream: 'http://127.0.0.1:"
        + port + "', timeout: 5s}]");
    upstream.status.set(499); // the status the node uses for a client that left: here it is the upstream's answer
    HttpResponse<Buffer> r = get("/up/status");
    assertThat(r.statusCode()).isEqualTo(499);
    assertThat(r.bodyAsString()).isEqualTo("status 499");
  }

  @Test
  void aClientThatLeavesWhileTheAnswerStreamsFreesTheUpstreamConnection(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "routes=[{path: /up/*, methods: [GET], upstream: 'http://127.0.0.1:"
        + port + "', timeout: 30s}]");
    io.vertx.core.net.NetSocket socket = NodeHarness.await(vertx.createNetClient()
        .connect(h.node.config().http().port(), "127.0.0.1"));
    io.vertx.core.Promise<Void> firstChunk = io.vertx.core.Promise.promise();
    Buffer seen = Buffer.buffer();
    socket.handler(b -> {
      seen.appendBuffer(b);
      if (seen.toString().contains("first chunk")) {
        firstChunk.tryComplete();
      }
    });
    NodeHarness.await(socket.write("GET /up/drip HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    NodeHarness.await(firstChunk.future()); // the head and the first chunk came through; the upstream now stalls
    NodeHarness.await(socket.close());
    // the stalled upstream exchange is reset, not left holding a pooled connection for ever
    NodeHarness.await(upstream.dripClosed.future());
    assertThat(edges("/up/*").getJsonObject("outcomes").getLong("ok")).isEqualTo(1);
  }

  @Test
  void everyListenerInstanceSharesTheNodesOnePoolPerUpstream(Vertx vertx) throws Exception {
    int port = startUpstream(vertx);
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "http.instances=4", "edge.upstreamPoolSize=2",
        "routes=[{path: /up/*, methods: [GET], upstream: 'http://127.0.0.1:" + port + "', timeout: 10s}]");
    // many client connections, spread by the listener over its four instances, all waiting on the upstream at once
    java.util.List<Future<HttpResponse<Buffer>>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < 16; i++) {
      io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(vertx,
          new io.vertx.ext.web.client.WebClientOptions().setKeepAlive(false));
      calls.add(client.get(h.node.config().http().port(), "127.0.0.1", "/up/hold").send());
    }
    for (Future<HttpResponse<Buffer>> c : calls) {
      assertThat(NodeHarness.await(c).statusCode()).isEqualTo(200);
    }
    assertThat(upstream.connections.get()).as("one pool of 2 for the node, not 2 per listener instance").isEqualTo(2);
  }

  @Test
  void aGetToAnUpstreamThatRefusesConnectionsIsRetriedWithinTheBudgetThen502(Vertx vertx) throws Exception {
    int closed = dev.satellite.support.TestConfigs.freePort(); // nothing listens there
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "routes=[{path: /down/*, upstream: 'http://127.0.0.1:" + closed
        + "', breaker: {maxFailures: 0}, retry: {attempts: 3, budget: 0, minPerSecond: 1}}]");
    HttpResponse<Buffer> first = get("/down/x");
    h.assertProblem(first, 502);
    assertThat(first.bodyAsJsonObject().getString("type")).endsWith("/upstream-failed");
    assertThat(edges("/down/*").getJsonObject("retry").getLong("retries")).as("3 attempts: 2 retries").isEqualTo(2L);
    // a POST is never sent again: it may have reached the upstream (here it could not, but the node cannot know)
    h.call(HttpMethod.POST, false, "/down/x", r -> r);
    assertThat(edges("/down/*").getJsonObject("retry").getLong("retries")).isEqualTo(2L);
  }
}
