package dev.satellite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.ConfigException;
import dev.satellite.support.FakeClock;
import dev.satellite.support.NodeHarness;
import dev.satellite.support.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin token from a file (a mounted Secret): read at start, re-read when it changes, absent = nobody gets in. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AdminTokenFileTest {

  private final Path dir = TestConfigs.emptyDir();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-02T10:00:00Z"));
  private NodeHarness h;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private int status(String token) throws Exception {
    return h.admin("/admin/info", "Bearer " + token).statusCode();
  }

  /**
   * Polls (the file is checked every second) until {@code token} gets {@code expected}; false after 10 s. The node's
   * clock moves on a minute after each miss, so these polls never trip the slow-down of wrong tokens
   * ({@link AdminAuditTest} covers it).
   */
  private boolean becomes(String token, int expected) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      if (status(token) == expected) {
        return true;
      }
      clock.advance(FailedAuth.WINDOW);
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void theFilesTokensOpenTheAdminApiAndAChangeTakesEffectWithoutARestart(Vertx vertx) throws Exception {
    Path file = Files.writeString(dir.resolve("admin-token"), "# mounted from a Secret\nfirst-token\n");
    h = NodeHarness.startAt(vertx, clock, "admin.tokenFile=" + file);
    assertThat(status("first-token")).isEqualTo(200);
    assertThat(status("other")).isEqualTo(401);
    assertThat(h.admin("/admin/info", "Bearer first-token").bodyAsString()).doesNotContain("first-token");
    Files.writeString(file, "second-token\n");
    assertThat(becomes("second-token", 200)).isTrue();
    assertThat(status("first-token")).isEqualTo(401);
  }

  @Test
  void aFileThatDoesNotExistYetLetsNobodyInUntilItAppears(Vertx vertx) throws Exception {
    Path file = dir.resolve("not-yet");
    h = NodeHarness.startAt(vertx, clock, "admin.tokenFile=" + file);
    assertThat(status("anything")).as("the API is on, and closed").isEqualTo(401);
    Files.writeString(file, "late-token\n");
    assertThat(becomes("late-token", 200)).isTrue();
  }

  @Test
  void tokenAndTokenFileTogetherOrABadFileAreConfigErrorsNamingTheKey() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad"), "has a space\n");
    try {
      TestConfigs.node("admin.token=x", "admin.tokenFile=" + bad);
      throw new AssertionError("expected a config error");
    } catch (ConfigException e) {
      assertThat(e.problems()).containsExactly("admin.tokenFile: give admin.token or admin.tokenFile, not both",
          "admin.tokenFile: lines [1] of " + bad + " are not bearer tokens (letters, digits and -._~+/, then any '=';"
              + " # starts a comment)");
    }
  }
}
