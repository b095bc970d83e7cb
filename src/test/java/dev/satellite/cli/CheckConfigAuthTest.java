package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code check-config} on a route's {@code auth}: a missing token file is exit 2 naming the key, no token shown. */
class CheckConfigAuthTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void aMissingTokenFileExitsTwoNamingTheKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("node.yaml");
    Path missing = dir.resolve("no-such-tokens.txt");
    Files.writeString(f, "routes:\n  - { path: /events, methods: [POST], actor: echo, auth: { tokens: [s3cret-inline],"
        + " tokenFile: '" + missing + "' } }\n");
    assertThat(run("check-config", "--config", f.toString())).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        "config error: routes[0].auth.tokenFile: no such file: " + missing);
    assertThat(err.toString() + out).doesNotContain("s3cret-inline").doesNotContain("Exception");
  }

  @Test
  void aReadableTokenFileIsFine(@TempDir Path dir) throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens.txt"), "publisher-token\n");
    assertThat(run("check-config", "--set", "defaults.auth.tokenFile=" + tokens)).isZero();
    assertThat(out.toString()).startsWith("config OK");
  }
}
