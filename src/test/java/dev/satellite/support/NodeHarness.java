package dev.satellite.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.ConfigLoader;
import dev.satellite.node.Node;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A whole node in the test JVM on free loopback ports, with an HTTP client and a crash-exit hook that
 * records instead of ending the JVM. Close it after each test.
 */
public final class NodeHarness implements AutoCloseable {

  public final Node node;
  public final List<String> exits = new CopyOnWriteArrayList<>();
  private final WebClient client;

  private NodeHarness(Vertx clientVertx, Clock clock, java.util.function.LongSupplier nanos, String... sets) {
    this(clientVertx, clock, nanos, clock.instant(), sets);
  }

  private NodeHarness(Vertx clientVertx, Clock clock, java.util.function.LongSupplier nanos,
      java.time.Instant processStart, String... sets) {
    ConfigLoader.Loaded loaded = TestConfigs.node(sets);
    this.node = new Node(loaded, clock, nanos, (code, reason) -> exits.add(code + " " + reason), processStart);
    this.client = WebClient.create(clientVertx);
  }

  /** A node on {@code clock} as if its process had started at {@code processStart} (on the same clock). */
  public static NodeHarness startAt(Vertx clientVertx, Clock clock, java.time.Instant processStart, String... sets)
      throws Exception {
    NodeHarness h = new NodeHarness(clientVertx, clock, System::nanoTime, processStart, sets);
    await(h.node.start());
    return h;
  }

  public static NodeHarness start(Vertx clientVertx, String... sets) throws Exception {
    return start(clientVertx, System::nanoTime, sets);
  }

  /** A node whose edge policies (breakers, budgets, rate limits) read {@code nanos}: a {@link FakeClock}, say. */
  public static NodeHarness start(Vertx clientVertx, java.util.function.LongSupplier nanos, String... sets) throws Exception {
    NodeHarness h = new NodeHarness(clientVertx, Clock.systemUTC(), nanos, sets);
    await(h.node.start());
    return h;
  }

  /** A node whose wall clock (actors' time, e.g. the minute an event is counted in) is {@code clock}. */
  public static NodeHarness startAt(Vertx clientVertx, Clock clock, String... sets) throws Exception {
    NodeHarness h = new NodeHarness(clientVertx, clock, System::nanoTime, sets);
    await(h.node.start());
    return h;
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  public String nodeId() {
    return node.config().nodeId();
  }

  public HttpResponse<Buffer> call(HttpMethod method, boolean admin, String path,
      UnaryOperator<HttpRequest<Buffer>> customize) throws Exception {
    int port = admin ? node.config().admin().port() : node.config().http().port();
    return await(customize.apply(client.request(method, port, "127.0.0.1", path)).send());
  }

  public HttpResponse<Buffer> get(String path) throws Exception {
    return call(HttpMethod.GET, false, path, r -> r);
  }

  public HttpResponse<Buffer> admin(String path, String authorization) throws Exception {
    return call(HttpMethod.GET, true, path, r -> authorization == null ? r : r.putHeader("Authorization", authorization));
  }

  public HttpResponse<Buffer> adminSend(HttpMethod method, String path, String token, JsonObject body) throws Exception {
    int port = node.config().admin().port();
    HttpRequest<Buffer> req = client.request(method, port, "127.0.0.1", path).putHeader("Authorization", "Bearer " + token);
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  /** Asserts an RFC 9457 problem body with the node and request ids. */
  public void assertProblem(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/problem+json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("type")).startsWith("https://");
    assertThat(body.getString("title")).isNotBlank();
    assertThat(body.getString("detail")).isNotBlank();
    assertThat(body.getString("node")).isEqualTo(nodeId());
    assertThat(body.getString("requestId")).isEqualTo(response.getHeader("X-Request-Id"));
  }

  @Override
  public void close() throws Exception {
    await(node.shutdown());
  }
}
