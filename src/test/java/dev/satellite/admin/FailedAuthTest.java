package dev.satellite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.FakeClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who is counted for the slow-down, and how many audit lines a flood of refusals makes. */
class FailedAuthTest {

  @RegisterExtension
  final AuditLog audit = new AuditLog();
  private final FakeClock clock = new FakeClock(Instant.parse("2026-12-02T10:00:00Z"));

  @Test
  void anIpv6HostCountsByItsSlash64SoANewAddressPerGuessGainsNothing() {
    assertThat(FailedAuth.key("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2::/64");
    assertThat(FailedAuth.key("10.1.2.3")).isEqualTo("10.1.2.3");
    FailedAuth failures = new FailedAuth(clock);
    for (int i = 0; i <= FailedAuth.ALLOWED; i++) {
      failures.refused("2001:db8:1:2::" + Integer.toHexString(i + 1), "auth", "unauthorized");
    }
    assertThat(failures.retryAfter("2001:db8:1:2:ffff::9")).as("another address of the same /64").isPositive();
    assertThat(failures.retryAfter("2001:db8:1:3::1")).as("another /64").isZero();
  }

  @Test
  void aFloodFromManyAddressesIsAtMostMaxLinesPerIntervalAndOneLineCountingTheRest() {
    FailedAuth failures = new FailedAuth(clock);
    int addresses = FailedAuth.MAX_LINES + 50;
    for (int i = 0; i < addresses; i++) {
      failures.refused("10.0." + (i / 256) + "." + (i % 256), "auth", "unauthorized");
    }
    assertThat(audit.lines()).hasSize(FailedAuth.MAX_LINES);
    clock.advance(Duration.ofSeconds(10));
    failures.refused("10.9.9.9", "auth", "unauthorized");
    assertThat(audit.lines()).hasSize(FailedAuth.MAX_LINES + 2);
    JsonObject summary = audit.lines().get(FailedAuth.MAX_LINES);
    assertThat(summary.getString("result")).isEqualTo("suppressed");
    assertThat(summary.getLong("count")).isEqualTo(50);
  }
}
