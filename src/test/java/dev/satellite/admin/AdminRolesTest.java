package dev.satellite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.ConfigException;
import dev.satellite.config.SatelliteConfig.AdminRole;
import dev.satellite.support.NodeHarness;
import dev.satellite.support.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Named admin tokens with roles: a {@code read} token reads and nothing else; the audit names the token. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AdminRolesTest {

  private static final String TOKENS = "admin.tokens=[{name: dashboard, token: dash-token-1, role: read},"
      + " {name: oncall, token: oncall-token-1, role: operate}]";
  @RegisterExtension
  final AuditLog audit = new AuditLog();
  private NodeHarness h;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private static JsonObject fault() {
    return new JsonObject().put("type", "latency").put("target", "hello").put("delayMs", 1).put("durationMs", 60_000);
  }

  @Test
  void aReadTokenReadsButCannotInjectFaultsAndAnOperateTokenCan(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, TOKENS, "chaos.enabled=true");
    assertThat(h.admin("/admin/info", "Bearer dash-token-1").statusCode()).isEqualTo(200);
    assertThat(h.admin("/admin/chaos/faults", "Bearer dash-token-1").statusCode()).isEqualTo(200);

    HttpResponse<Buffer> refused = h.adminSend(HttpMethod.POST, "/admin/chaos/faults", "dash-token-1", fault());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("'dashboard'", "role read");
    assertThat(h.adminSend(HttpMethod.DELETE, "/admin/chaos/faults", "dash-token-1", null).statusCode()).isEqualTo(403);
    assertThat(h.admin("/admin/chaos/faults", "Bearer dash-token-1").bodyAsJsonObject().getJsonArray("faults"))
        .as("nothing was injected").isEmpty();

    assertThat(h.adminSend(HttpMethod.POST, "/admin/chaos/faults", "oncall-token-1", fault()).statusCode())
        .isEqualTo(201);
    assertThat(h.admin("/admin/chaos/faults", "Bearer dash-token-1").bodyAsJsonObject().getJsonArray("faults"))
        .hasSize(1);

    assertThat(audit.lines()).extracting(l -> l.getString("token") + " " + l.getString("action") + " " + l.getString("result"))
        .containsExactly("dashboard POST /admin/chaos/faults 403", "dashboard DELETE /admin/chaos/faults 403",
            "oncall POST /admin/chaos/faults 201");
    assertThat(audit.mentions("-token-1")).isFalse();
  }

  @Test
  void theShorthandTokenIsOneOperateTokenNamedAdminBesideTheList() {
    var admin = TestConfigs.node("admin.token=short-1", TOKENS).config().admin();
    assertThat(admin.tokens()).extracting(t -> t.name() + ":" + t.role().id())
        .containsExactly("admin:operate", "dashboard:read", "oncall:operate");
    assertThat(TestConfigs.node("admin.tokens=[{name: d, token: t1}]").config().admin().tokens())
        .as("the least a token can do is the default").singleElement()
        .satisfies(t -> assertThat(t.role()).isEqualTo(AdminRole.READ));
  }

  @Test
  void badTokenListsAreConfigErrorsNamingEachKey() {
    try {
      TestConfigs.node("admin.token=short-1", "admin.tokens=[{name: admin, token: a1, role: operate},"
          + " {name: x, token: b1, tokenFile: /nonexistent/file, role: root}, {name: x}, {name: 'has space', token: c1},"
          + " {name: y, token: 'not a token', roles: read}]");
      throw new AssertionError("expected a config error");
    } catch (ConfigException e) {
      assertThat(e.problems()).containsExactlyInAnyOrder(
          "admin.tokens[0].name: 'admin' is already taken (by admin.token / admin.tokenFile)",
          "admin.tokens[1].role: must be one of read, operate, got 'root'",
          "admin.tokens[1].tokenFile: give token or tokenFile, not both",
          "admin.tokens[2].name: 'x' is already taken by another token",
          "admin.tokens[2].token: give token or tokenFile",
          "admin.tokens[3].name: must be 1-63 letters, digits, '.', '_' or '-' (it names the token in the audit log),"
              + " got 'has space'",
          "admin.tokens[4].roles: unknown key (known here: name, role, token, tokenFile)",
          "admin.tokens[4].token: is not a bearer token (letters, digits and -._~+/, then any '=')");
    }
  }
}
