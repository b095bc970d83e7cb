package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route's {@code auth} in the built jar: tokens from a file named in the environment, never in the node's output. */
class RouteAuthIT {

  private static final String TOKEN = "it-token-5c1e9a07d2";

  @TempDir
  Path dir;

  @Test
  void aNodeTakesItsTokensFromAFileNamedInTheEnvironmentAndNeverPrintsThem() throws Exception {
    Files.writeString(dir.resolve("tokens.txt"), "# ingest clients\n" + TOKEN + "\n");
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    try (NodeProcess node = NodeProcess.start(dir, Map.of("SATELLITE_HTTP_HOST", "127.0.0.1",
        "SATELLITE_HTTP_PORT", String.valueOf(http), "SATELLITE_ADMIN_PORT", String.valueOf(admin),
        "SATELLITE_DEFAULTS_AUTH_TOKEN_FILE", "tokens.txt", "SATELLITE_LOG_ACCESS", "true"), http, admin, "run")) {
      node.awaitReady(Duration.ofSeconds(60));
      HttpResponse<String> missing = node.get("/hello");
      assertThat(missing.statusCode()).isEqualTo(401);
      assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"satellite\"");
      assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(new JsonObject(missing.body()).getInteger("status")).isEqualTo(401);
      HttpResponse<String> wrong = node.send(http, "/hello", Map.of("Authorization", "Bearer not-" + TOKEN));
      assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"satellite\", error=\"invalid_token\"");
      assertThat(node.send(http, "/hello", Map.of("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(200);
      node.terminate();
      assertThat(node.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(node.output()).as("access log lines were written").contains("GET /hello 401").contains("GET /hello 200")
          .doesNotContain(TOKEN);
    }
  }

  @Test
  void checkConfigExitsTwoNamingTheKeyWhenTheTokenFileIsMissing() throws Exception {
    try (NodeProcess check = NodeProcess.start(dir, Map.of("SATELLITE_DEFAULTS_AUTH_TOKEN_FILE", "missing.tokens",
        "SATELLITE_DEFAULTS_AUTH_TOKENS", TOKEN), 0, 0, "check-config")) {
      assertThat(check.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(check.errors().lines()).singleElement().asString()
          .startsWith("config error: defaults.auth.tokenFile: no such file: ").endsWith("missing.tokens");
      assertThat(check.output()).doesNotContain(TOKEN).doesNotContain("Exception");
    }
  }
}
