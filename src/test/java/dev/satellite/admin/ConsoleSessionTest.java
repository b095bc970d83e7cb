package dev.satellite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.FakeClock;
import dev.satellite.support.NodeHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console's sessions over HTTP: signing in turns a token into an HttpOnly, SameSite=Strict cookie; the cookie
 * reads, a state change also needs the CSRF token; roles hold as for bearer tokens; signing out and expiry end it;
 * the page is open and its data is not; sign-ins are audited and slowed down like bearer tokens.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ConsoleSessionTest {

  private static final String TOKENS = "admin.tokens=[{name: oncall, token: oncall-1, role: operate},"
      + " {name: dash, token: dash-1, role: read}]";
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-02T10:00:00Z"));
  @RegisterExtension
  final AuditLog audit = new AuditLog();
  private NodeHarness h;
  private WebClient client;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private void start(Vertx vertx, String... sets) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of(TOKENS, "chaos.enabled=true", "admin.sessionTtl=1h"));
    all.addAll(List.of(sets));
    h = NodeHarness.startAt(vertx, clock, all.toArray(String[]::new));
    client = WebClient.create(vertx);
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, h.node.config().admin().port(), "127.0.0.1", path);
  }

  private HttpResponse<Buffer> signIn(String token) throws Exception {
    return NodeHarness.await(request(HttpMethod.POST, "/admin/session").sendJsonObject(new JsonObject().put("token", token)));
  }

  private static String cookie(HttpResponse<Buffer> signedIn) {
    return signedIn.cookies().get(0).split(";")[0];
  }

  private HttpResponse<Buffer> withCookie(HttpMethod method, String path, String cookie, String csrf, JsonObject body)
      throws Exception {
    HttpRequest<Buffer> r = request(method, path).putHeader("Cookie", cookie);
    if (csrf != null) {
      r.putHeader(Sessions.CSRF_HEADER, csrf);
    }
    return NodeHarness.await(body == null ? r.send() : r.sendJsonObject(body));
  }

  private static JsonObject fault() {
    return new JsonObject().put("type", "latency").put("target", "hello").put("delayMs", 1).put("durationMs", 60_000);
  }

  @Test
  void thePageIsOpenItsDataIsNot(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<Buffer> page = NodeHarness.await(request(HttpMethod.GET, "/admin/").send());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
    assertThat(page.bodyAsString()).contains("type=\"password\"").doesNotContain("oncall-1");
    assertThat(NodeHarness.await(request(HttpMethod.GET, "/admin/assets/uPlot.iife.min.js").send()).statusCode())
        .as("the chart library, from the jar").isEqualTo(200);
    assertThat(NodeHarness.await(request(HttpMethod.GET, "/admin/assets/console.js").send()).statusCode()).isEqualTo(200);
    for (String path : List.of("/admin/console/stream", "/admin/session", "/admin/assets/other.js", "/admin/info")) {
      assertThat(NodeHarness.await(request(HttpMethod.GET, path).send()).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(NodeHarness.await(request(HttpMethod.GET, "/admin/console/stream")
        .putHeader("Cookie", Sessions.COOKIE + "=made-up").send()).statusCode()).as("a cookie not signed in").isEqualTo(401);
  }

  @Test
  void aSessionReadsAndChangesStateOnlyWithItsCsrfTokenAndEndsWhenSignedOut(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<Buffer> in = signIn("oncall-1");
    assertThat(in.statusCode()).isEqualTo(200);
    String setCookie = in.cookies().get(0);
    assertThat(setCookie).startsWith(Sessions.COOKIE + "=").contains("HTTPOnly", "SameSite=Strict", "Path=/admin",
        "Max-Age=3600");
    assertThat(setCookie.toLowerCase()).doesNotContain("oncall-1");
    JsonObject session = in.bodyAsJsonObject();
    assertThat(session.getString("name")).isEqualTo("oncall");
    assertThat(session.getString("role")).isEqualTo("operate");
    String csrf = session.getString("csrf");
    String cookie = cookie(in);

    assertThat(withCookie(HttpMethod.GET, "/admin/info", cookie, null, null).statusCode()).isEqualTo(200);
    assertThat(withCookie(HttpMethod.GET, "/admin/session", cookie, null, null).bodyAsJsonObject().getString("csrf"))
        .as("a reloaded page gets the CSRF token again").isEqualTo(csrf);
    HttpResponse<Buffer> noCsrf = withCookie(HttpMethod.POST, "/admin/chaos/faults", cookie, null, fault());
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(noCsrf.bodyAsJsonObject().getString("type")).endsWith("/csrf");
    assertThat(withCookie(HttpMethod.POST, "/admin/chaos/faults", cookie, "wrong", fault()).statusCode()).isEqualTo(403);
    assertThat(withCookie(HttpMethod.POST, "/admin/chaos/faults", cookie, csrf, fault()).statusCode()).isEqualTo(201);

    assertThat(withCookie(HttpMethod.DELETE, "/admin/session", cookie, null, null).statusCode())
        .as("signing out is a state change too").isEqualTo(403);
    HttpResponse<Buffer> out = withCookie(HttpMethod.DELETE, "/admin/session", cookie, csrf, null);
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.cookies().get(0)).startsWith(Sessions.COOKIE + "=;").contains("Max-Age=0");
    assertThat(withCookie(HttpMethod.GET, "/admin/info", cookie, null, null).statusCode()).isEqualTo(401);

    List<String> actions = audit.lines().stream()
        .map(l -> l.getString("action") + " " + l.getString("result") + " " + l.getString("token")).toList();
    assertThat(actions).containsExactly("sign-in 200 oncall", "POST /admin/chaos/faults 403 oncall",
        "POST /admin/chaos/faults 403 oncall", "POST /admin/chaos/faults 201 oncall",
        "DELETE /admin/session 403 oncall", "sign-out 204 oncall");
    assertThat(audit.mentions(cookie.split("=")[1])).isFalse();
  }

  @Test
  void aReadSessionCannotChangeStateEvenWithItsCsrfToken(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<Buffer> in = signIn("dash-1");
    String csrf = in.bodyAsJsonObject().getString("csrf");
    assertThat(in.bodyAsJsonObject().getString("role")).isEqualTo("read");
    HttpResponse<Buffer> refused = withCookie(HttpMethod.POST, "/admin/chaos/faults", cookie(in), csrf, fault());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsJsonObject().getString("type")).endsWith("/forbidden");
    assertThat(withCookie(HttpMethod.GET, "/admin/chaos/faults", cookie(in), null, null).statusCode()).isEqualTo(200);
    assertThat(withCookie(HttpMethod.DELETE, "/admin/session", cookie(in), csrf, null).statusCode())
        .as("anyone signed in may sign out").isEqualTo(204);
    assertThat(withCookie(HttpMethod.GET, "/admin/info", cookie(in), null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void signingInAgainAndAgainEndsOnlyThatTokensOldestSessions(Vertx vertx) throws Exception {
    start(vertx);
    String operator = cookie(signIn("oncall-1"));
    String firstRead = cookie(signIn("dash-1"));
    for (int i = 0; i < Sessions.MAX_PER_TOKEN; i++) {
      assertThat(signIn("dash-1").statusCode()).isEqualTo(200);
    }
    assertThat(withCookie(HttpMethod.GET, "/admin/info", firstRead, null, null).statusCode())
        .as("that token's oldest session made room").isEqualTo(401);
    assertThat(withCookie(HttpMethod.GET, "/admin/info", operator, null, null).statusCode())
        .as("another token's session is untouched").isEqualTo(200);
  }

  @Test
  void aTokenTakenOutOfItsFileEndsItsSessions(Vertx vertx) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.writeString(dev.satellite.support.TestConfigs.emptyDir()
        .resolve("ops-token"), "ops-file-1\n");
    start(vertx, "admin.tokens=[{name: ops, tokenFile: " + file + ", role: operate}]");
    String cookie = cookie(signIn("ops-file-1"));
    assertThat(withCookie(HttpMethod.GET, "/admin/info", cookie, null, null).statusCode()).isEqualTo(200);
    java.nio.file.Files.writeString(file, "ops-file-2\n");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int status = 200;
    while (System.nanoTime() < until && status == 200) {
      Thread.sleep(100);
      status = withCookie(HttpMethod.GET, "/admin/info", cookie, null, null).statusCode();
    }
    assertThat(status).as("the file's new token replaced the one the session was signed in with").isEqualTo(401);
  }

  @Test
  void aSessionExpiresAfterItsTtl(Vertx vertx) throws Exception {
    start(vertx);
    String cookie = cookie(signIn("oncall-1"));
    clock.advance(Duration.ofMinutes(59));
    assertThat(withCookie(HttpMethod.GET, "/admin/info", cookie, null, null).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(1));
    assertThat(withCookie(HttpMethod.GET, "/admin/info", cookie, null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void wrongSignInsAreAuditedAggregatedAndSlowedDownAndOnlyJsonSignsIn(Vertx vertx) throws Exception {
    start(vertx);
    String signedIn = cookie(signIn("dash-1"));
    int before = audit.lines().size(); // the sign-in's line is not what this test counts
    HttpResponse<Buffer> form = NodeHarness.await(request(HttpMethod.POST, "/admin/session")
        .putHeader("content-type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("token=oncall-1")));
    assertThat(form.statusCode()).as("a cross-site form cannot sign a browser in").isEqualTo(415);
    assertThat(signIn("").statusCode()).isEqualTo(400);
    for (int i = 0; i <= FailedAuth.ALLOWED; i++) {
      assertThat(signIn("guess-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> slowed = signIn("oncall-1");
    assertThat(slowed.statusCode()).isEqualTo(429);
    assertThat(slowed.getHeader("Retry-After")).isNotNull();
    assertThat(slowed.cookies()).isEmpty();
    assertThat(withCookie(HttpMethod.GET, "/admin/info", signedIn, null, null).statusCode())
        .as("a live session from the same address (port-forward: everyone's) is not locked out").isEqualTo(200);
    assertThat(audit.lines().subList(before, audit.lines().size())).singleElement().satisfies(line -> {
      assertThat(line.getString("action")).isEqualTo("sign-in");
      assertThat(line.getString("result")).isEqualTo("unauthorized");
      assertThat(line.getLong("count")).isEqualTo(1);
    });
    clock.advance(FailedAuth.WINDOW);
    assertThat(signIn("oncall-1").statusCode()).isEqualTo(200);
  }
}
