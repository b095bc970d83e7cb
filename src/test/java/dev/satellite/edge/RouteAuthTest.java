package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.RouteSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteAuthTest {

  private static RouteSpec.Auth tokens(String... tokens) {
    return new RouteSpec.Auth(List.of(tokens), Optional.empty(), List.of());
  }

  @Test
  void givesEachKindOfRefusalItsOwnVerdictAndCountsThem() {
    RouteAuth other = new RouteAuth(tokens("publisher-1"), null, d -> false);
    RouteAuth auth = new RouteAuth(tokens("ingest-1", "ingest-2"), null, other::accepts);
    assertThat(auth.check("Bearer ingest-2")).isEqualTo(AuthVerdict.ALLOWED);
    assertThat(auth.check(null)).isEqualTo(AuthVerdict.MISSING);
    assertThat(auth.check("Basic aW5nZXN0LTE6")).isEqualTo(AuthVerdict.MALFORMED);
    assertThat(auth.check("Bearer ingest-3")).isEqualTo(AuthVerdict.INVALID);
    assertThat(auth.check("Bearer publisher-1")).as("a token of another route").isEqualTo(AuthVerdict.FORBIDDEN);
    assertThat(AuthVerdict.MISSING.status()).isEqualTo(401);
    assertThat(AuthVerdict.MISSING.error()).as("RFC 6750 §3.1: no error code without credentials").isNull();
    assertThat(AuthVerdict.INVALID.error()).isEqualTo("invalid_token");
    assertThat(AuthVerdict.FORBIDDEN.status()).isEqualTo(403);
    assertThat(auth.toJson().getJsonObject("verdicts").getMap()).containsEntry("allowed", 1L).containsEntry("missing", 1L)
        .containsEntry("malformed", 1L).containsEntry("invalid", 1L).containsEntry("forbidden", 1L);
    assertThat(auth.toJson().getInteger("tokens")).isEqualTo(2);
    assertThat(auth.toJson().encode()).doesNotContain("ingest-1").doesNotContain("ingest-2");
  }

  @Test
  void theConfigRecordNeverPrintsAToken() {
    RouteSpec.Auth spec = new RouteSpec.Auth(List.of("very-secret-token"), Optional.empty(), List.of("file-secret"));
    assertThat(spec.toString()).doesNotContain("very-secret-token").doesNotContain("file-secret").contains("1 inline");
    assertThat(RouteSpec.Auth.OFF.enabled()).isFalse();
    assertThat(spec.enabled()).isTrue();
  }
}
