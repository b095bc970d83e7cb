package dev.satellite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.actor.TraceContext;
import dev.satellite.support.NodeHarness;
import dev.satellite.support.RawHttp;
import dev.satellite.support.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP as RFC 9110/9112 say, bodies read the way clients send them, and traces that cross every hop. */
@ExtendWith(VertxExtension.class)
@Timeout(60_000)
class HttpConformanceTest {

  private static final Duration WAIT = Duration.ofSeconds(3);
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

  private int port() {
    return h.node.config().http().port();
  }

  private int startUpstream(Vertx vertx) throws Exception {
    upstream = new TestUpstream();
    return NodeHarness.await(upstream.start(vertx));
  }

  private double metric(String line) throws Exception {
    String metrics = h.admin("/metrics", null).bodyAsString();
    for (String l : metrics.split("\n")) {
      if (l.startsWith(line + " ")) {
        return Double.parseDouble(l.substring(line.length() + 1));
      }
    }
    return 0;
  }

  @Test
  void aRequestWithBothContentLengthAndTransferEncodingIs400AndItsConnectionClosed(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx);
    String answer = RawHttp.exchange(port(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
        + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n", WAIT);
    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").contains("application/problem+json")
        .contains("Content-Length and Transfer-Encoding").endsWith("<closed>");
  }

  @Test
  void anHttpVersionOtherThan1xIs505InHttp11(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx);
    String answer = RawHttp.exchange(port(), "GET /hello HTTP/9.9\r\nHost: x\r\n\r\n", WAIT);
    assertThat(answer).startsWith("HTTP/1.1 505 HTTP Version Not Supported").contains("application/problem+json")
        .endsWith("<closed>");
    assertThat(RawHttp.exchange(port(), "GET /hello HTTP/1.0\r\n\r\n", WAIT)).startsWith("HTTP/1.0 200 OK");
  }

  @Test
  void headIsAllowedWhereverGetIsAndAnswersTheSameHeadWithoutTheBody(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx);
    String get = RawHttp.exchange(port(), "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", WAIT);
    String head = RawHttp.exchange(port(), "HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", WAIT);
    assertThat(get).startsWith("HTTP/1.1 200 OK").contains("content-length: 13").endsWith("Hello, World!<closed>");
    assertThat(head).startsWith("HTTP/1.1 200 OK").contains("content-length: 13").endsWith("\r\n\r\n<closed>");
    assertThat(RawHttp.exchange(port(), "HEAD /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", WAIT))
        .startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n<closed>");
  }

  @Test
  void aMalformedChunkIs400AndClosedAndLoggedOncePerIntervalWithoutAStackTrace(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=t");
    for (int i = 0; i < 50; i++) {
      String answer = RawHttp.exchange(port(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", WAIT);
      assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").contains("malformed-request").endsWith("<closed>");
    }
    assertThat(metric("satellite_http_client_errors_total{kind=\"malformed-body\"}")).isEqualTo(50.0);
    assertThat(h.get("/hello").statusCode()).isEqualTo(200);
  }

  @Test
  void echoReadsItsBodyAsJsonUnlessItsTypeCannotBeAndSaysWhatIsWrong(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx);
    WebClient web = WebClient.create(vertx);
    // curl -d '{"a":1}' sends application/x-www-form-urlencoded
    HttpResponse<Buffer> form = NodeHarness.await(web.post(port(), "127.0.0.1", "/echo")
        .putHeader("content-type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("{\"a\":1}")));
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.bodyAsJsonObject()).isEqualTo(new JsonObject().put("a", 1));
    HttpResponse<Buffer> untyped = NodeHarness.await(web.post(port(), "127.0.0.1", "/echo")
        .sendBuffer(Buffer.buffer("{\"b\":2}")));
    assertThat(untyped.bodyAsJsonObject()).isEqualTo(new JsonObject().put("b", 2));

    HttpResponse<Buffer> empty = NodeHarness.await(web.post(port(), "127.0.0.1", "/echo").send());
    h.assertProblem(empty, 400);
    assertThat(empty.bodyAsJsonObject().getString("detail")).contains("empty");
    HttpResponse<Buffer> notJson = NodeHarness.await(web.post(port(), "127.0.0.1", "/echo")
        .putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer("hello")));
    h.assertProblem(notJson, 400);
    assertThat(notJson.bodyAsJsonObject().getString("detail")).startsWith("The body is not a JSON object: Unrecognized token")
        .contains("line: 1");
    HttpResponse<Buffer> declared = NodeHarness.await(web.post(port(), "127.0.0.1", "/echo")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{\"a\":")));
    h.assertProblem(declared, 400);
    HttpResponse<Buffer> image = NodeHarness.await(web.post(port(), "127.0.0.1", "/echo")
        .putHeader("content-type", "image/png").sendBuffer(Buffer.buffer(new byte[] {(byte) 0x89, 'P', 'N', 'G'})));
    h.assertProblem(image, 415);
    for (HttpResponse<Buffer> r : new HttpResponse[] {empty, notJson, declared, image}) {
      assertThat(r.bodyAsJsonObject().getString("detail")).as("no internal class names")
          .doesNotContain("Impl").doesNotContain("Buffer").doesNotContain("JsonObject").doesNotContain("io.netty")
          .doesNotContain("[Source");
    }
  }

  @Test
  void anHttp10ClientGetsAnUnsizedUpstreamAnswerStreamedAndDelimitedByClose(Vertx vertx) throws Exception {
    int up = startUpstream(vertx);
    h = NodeHarness.start(vertx, "routes=[{path: /up/*, upstream: 'http://127.0.0.1:" + up + "', timeout: 10s}]");
    try (Socket s = new Socket("127.0.0.1", port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET /up/unsized HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      StringBuilder seen = new StringBuilder();
      byte[] buf = new byte[4096];
      while (!seen.toString().contains("first part;")) {
        int n = s.getInputStream().read(buf);
        assertThat(n).as("the first part arrives while the upstream still holds the rest").isPositive();
        seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      assertThat(seen.toString()).startsWith("HTTP/1.0 200 OK").doesNotContainIgnoringCase("content-length")
          .doesNotContainIgnoringCase("transfer-encoding").containsIgnoringCase("connection: close");
      upstream.unsizedRest.complete();
      assertThat(RawHttp.readAll(s, Duration.ofSeconds(5))).isEqualTo("the rest<closed>");
    }
  }

  @Test
  void aTraceContextIsContinuedToActorsAndUpstreamsAndShownInProblems(Vertx vertx) throws Exception {
    int up = startUpstream(vertx);
    h = NodeHarness.start(vertx, "supervision.children=[{id: hello, actor: hello}, {id: whoami, actor: whoami},"
        + " {id: echo, actor: echo}, {id: probe, actor: dev.satellite.supervision.ProbeActor}]",
        "routes=[{path: /up/*, upstream: 'http://127.0.0.1:" + up + "'}, {path: /probe, methods: [POST], actor: probe}]");
    TraceContext client = TraceContext.start();
    JsonObject seenUpstream = h.call(io.vertx.core.http.HttpMethod.GET, false, "/up/headers",
        r -> r.putHeader("traceparent", client.header())).bodyAsJsonObject();
    TraceContext atUpstream = TraceContext.parse(seenUpstream.getString("traceparent"));
    assertThat(atUpstream.traceId()).isEqualTo(client.traceId());
    assertThat(atUpstream.spanId()).as("the node's own span is the upstream's parent").isNotEqualTo(client.spanId());

    JsonObject seenActor = NodeHarness.await(WebClient.create(vertx).post(port(), "127.0.0.1", "/probe")
        .putHeader("traceparent", client.header()).putHeader("content-type", "text/plain")
        .sendBuffer(Buffer.buffer("trace"))).bodyAsJsonObject();
    assertThat(TraceContext.parse(seenActor.getString("traceparent")).traceId()).isEqualTo(client.traceId());

    HttpResponse<Buffer> missing = h.call(io.vertx.core.http.HttpMethod.GET, false, "/nowhere",
        r -> r.putHeader("traceparent", client.header()));
    assertThat(missing.bodyAsJsonObject().getString("traceId")).isEqualTo(client.traceId());
    // no (or a malformed) traceparent starts a trace
    HttpResponse<Buffer> fresh = h.call(io.vertx.core.http.HttpMethod.GET, false, "/nowhere",
        r -> r.putHeader("traceparent", "00-not-a-trace"));
    assertThat(fresh.bodyAsJsonObject().getString("traceId")).matches("[0-9a-f]{32}").isNotEqualTo(client.traceId());
  }

  @Test
  void aKeptAliveConnectionIdleBetweenRequestsIsNotCutByTheHeadTimeoutWithOrWithoutH2c(Vertx vertx) throws Exception {
    for (String h2c : new String[] {"false", "true"}) {
      h = NodeHarness.start(vertx, "edge.headerReadTimeout=300ms", "http.h2c=" + h2c);
      try (Socket s = new Socket("127.0.0.1", port())) {
        s.setSoTimeout(5000);
        for (int i = 0; i < 2; i++) {
          s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          byte[] buf = new byte[4096];
          String answer = new String(buf, 0, s.getInputStream().read(buf), StandardCharsets.ISO_8859_1);
          assertThat(answer).as("h2c %s, request %d", h2c, i).startsWith("HTTP/1.1 200").endsWith("Hello, World!");
          // idle between requests for longer than the head timeout: that is edge.idleTimeout's business
          io.vertx.core.Promise<Void> idle = io.vertx.core.Promise.promise();
          vertx.setTimer(800, t -> idle.complete());
          NodeHarness.await(idle.future());
        }
      }
      h.close();
      h = null;
    }
  }
}
