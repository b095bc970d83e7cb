package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

  @Test
  void readsTheCredentialsOfABearerHeaderInAnyCaseAndTellsAbsentFromMalformed() {
    assertThat(BearerTokens.credentials(null)).isNull();
    assertThat(BearerTokens.credentials("Bearer abc.DEF-1")).isEqualTo("abc.DEF-1");
    assertThat(BearerTokens.credentials("bearer   abc ")).isEqualTo("abc");
    assertThat(BearerTokens.credentials("BEARER\tabc")).isEqualTo("abc");
    assertThat(BearerTokens.credentials("Basic dXNlcjpwYXNz")).isEmpty();
    assertThat(BearerTokens.credentials("Bearer")).isEmpty();
    assertThat(BearerTokens.credentials("Bearer   ")).isEmpty();
    assertThat(BearerTokens.credentials("Bearerabc")).isEmpty();
    assertThat(BearerTokens.credentials("")).isEmpty();
  }

  @Test
  void findsATokenAmongTheKnownDigestsOnlyWhenItIsExactlyOneOfThem() {
    List<byte[]> known = BearerTokens.digests(List.of("alpha-token", "beta-token"));
    assertThat(BearerTokens.anyEquals(known, BearerTokens.digest("beta-token"))).isTrue();
    assertThat(BearerTokens.anyEquals(known, BearerTokens.digest("alpha-token"))).isTrue();
    assertThat(BearerTokens.anyEquals(known, BearerTokens.digest("beta-toke"))).isFalse();
    assertThat(BearerTokens.anyEquals(known, BearerTokens.digest("beta-token2"))).isFalse();
    assertThat(BearerTokens.anyEquals(known, BearerTokens.digest("Beta-token"))).isFalse();
    assertThat(BearerTokens.anyEquals(List.of(), BearerTokens.digest("alpha-token"))).isFalse();
    assertThat(BearerTokens.digest("x")).hasSize(32).isEqualTo(BearerTokens.digest("x"));
  }
}
