package dev.satellite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.FakeClock;
import dev.satellite.support.NodeHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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

/** The admin API's audit trail, and the slow-down of wrong tokens from one address (on the node's injected clock). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AdminAuditTest {

  private static final String TOKEN = "audit-token-1";
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-02T10:00:00Z"));
  @RegisterExtension
  final AuditLog audit = new AuditLog();
  private NodeHarness h;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private int get(String token) throws Exception {
    return h.admin("/admin/info", "Bearer " + token).statusCode();
  }

  @Test
  void everyStateChangingCallIsOneLineWithItsResultAndTheTokensNameNeverTheToken(Vertx vertx) throws Exception {
    h = NodeHarness.startAt(vertx, clock, "admin.token=" + TOKEN, "chaos.enabled=true");
    assertThat(get(TOKEN)).isEqualTo(200);
    HttpResponse<Buffer> injected = h.adminSend(HttpMethod.POST, "/admin/chaos/faults", TOKEN,
        new JsonObject().put("type", "latency").put("target", "hello").put("delayMs", 1).put("durationMs", 60_000));
    assertThat(injected.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> bad = h.adminSend(HttpMethod.POST, "/admin/chaos/faults", TOKEN, new JsonObject().put("type", "x"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(h.adminSend(HttpMethod.DELETE, "/admin/chaos/faults", TOKEN, null).statusCode()).isEqualTo(200);
    assertThat(audit.lines()).as("reads are not audited, each change is one line").hasSize(3);
    assertThat(audit.lines()).extracting(l -> l.getString("action")).containsExactly("POST /admin/chaos/faults",
        "POST /admin/chaos/faults", "DELETE /admin/chaos/faults");
    assertThat(audit.lines()).extracting(l -> l.getString("result")).containsExactly("201", "400", "200");
    assertThat(audit.lines()).allSatisfy(l -> {
      assertThat(l.getString("time")).isEqualTo("2026-12-02T10:00:00Z");
      assertThat(l.getString("remote")).isEqualTo("127.0.0.1");
      assertThat(l.getString("token")).isEqualTo("admin");
      assertThat(l.getString("target")).isEqualTo("/admin/chaos/faults");
    });
    assertThat(audit.mentions(TOKEN)).isFalse();
  }

  @Test
  void wrongTokensFromOneAddressAreAggregatedInTheLogAndSlowedDownWithRetryAfter(Vertx vertx) throws Exception {
    h = NodeHarness.startAt(vertx, clock, "admin.token=" + TOKEN);
    for (int i = 0; i <= FailedAuth.ALLOWED; i++) {
      assertThat(get("wrong-" + i)).as("attempt %d", i).isEqualTo(401);
    }
    HttpResponse<Buffer> slowed = h.admin("/admin/info", "Bearer " + TOKEN);
    assertThat(slowed.statusCode()).as("even the right token waits: guessing learns nothing meanwhile").isEqualTo(429);
    assertThat(slowed.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(Long.parseLong(slowed.getHeader("Retry-After"))).isBetween(1L, 60L);
    assertThat(audit.lines()).as("the first refusal is logged at once, the rest counted").singleElement().satisfies(l -> {
      assertThat(l.getString("action")).isEqualTo("auth");
      assertThat(l.getString("result")).isEqualTo("unauthorized");
      assertThat(l.getLong("count")).isEqualTo(1);
      assertThat(l.getString("remote")).isEqualTo("127.0.0.1");
    });
    clock.advance(Duration.ofSeconds(10));
    assertThat(get("wrong-again")).isEqualTo(429);
    assertThat(audit.lines()).hasSize(2);
    assertThat(audit.lines().get(1).getLong("count")).as("everything since the last line").isEqualTo(FailedAuth.ALLOWED + 2);
    clock.advance(FailedAuth.WINDOW);
    assertThat(get(TOKEN)).as("a new window").isEqualTo(200);
    assertThat(audit.mentions(TOKEN)).isFalse();
  }
}
