package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.RouteSpec;
import dev.satellite.support.NodeHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A token file is re-read when it changes; a file that cannot be used keeps the tokens in force. */
@ExtendWith(VertxExtension.class)
@Timeout(20_000)
class TokenFileTest {

  @Test
  void aChangedFileReplacesTheTokensAndABrokenOrMissingOneKeepsThem(Vertx vertx, @TempDir Path dir) throws Exception {
    Path f = dir.resolve("tokens.txt");
    Files.writeString(f, "# publishers\nold-token\n");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TokenFile file = new TokenFile(f, List.of("old-token"), vertx, registry);
    RouteAuth auth = new RouteAuth(new RouteSpec.Auth(List.of(), Optional.of(f), List.of("old-token")), file, d -> false);
    assertThat(NodeHarness.await(file.reload())).as("the same tokens: nothing changed").isFalse();
    assertThat(auth.check("Bearer old-token")).isEqualTo(AuthVerdict.ALLOWED);

    Files.writeString(f, "\uFEFFnew-token   # rotated\r\n\r\n  second-token\r\n"); // as a Windows editor saves it
    assertThat(NodeHarness.await(file.reload())).isTrue();
    assertThat(auth.check("Bearer old-token")).isEqualTo(AuthVerdict.INVALID);
    assertThat(auth.check("Bearer new-token")).isEqualTo(AuthVerdict.ALLOWED);
    assertThat(auth.check("Bearer second-token")).isEqualTo(AuthVerdict.ALLOWED);

    Files.writeString(f, "new-token\nnot a token\n");
    assertThat(NodeHarness.await(file.reload())).as("a bad line: the file is not used").isFalse();
    assertThat(auth.check("Bearer second-token")).isEqualTo(AuthVerdict.ALLOWED);

    Files.delete(f);
    assertThat(NodeHarness.await(file.reload())).isFalse();
    assertThat(auth.check("Bearer new-token")).as("a missing file keeps the tokens in force").isEqualTo(AuthVerdict.ALLOWED);
    assertThat(registry.get("satellite_edge_auth_token_file_reloads").tag("result", "failed").counter().count())
        .isEqualTo(2);

    Files.writeString(f, "# every token revoked\n");
    assertThat(NodeHarness.await(file.reload())).isTrue();
    assertThat(auth.check("Bearer new-token")).as("an emptied file refuses everyone").isEqualTo(AuthVerdict.INVALID);
    assertThat(registry.get("satellite_edge_auth_token_file_reloads").tag("result", "changed").counter().count())
        .isEqualTo(2);
  }
}
