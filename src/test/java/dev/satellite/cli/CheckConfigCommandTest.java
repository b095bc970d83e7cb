package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void validConfigExitsZero() {
    assertThat(run("check-config", "--set", "http.port=8081")).isZero();
    assertThat(out.toString()).startsWith("config OK");
  }

  @Test
  void badConfigExitsTwoWithOneLinePerProblemNamingTheKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "http:\n  port: 0\nlog:\n  format: xml\n");
    assertThat(run("check-config", "--config", f.toString())).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        "config error: http.port: must be between 1 and 65535, got 0",
        "config error: log.format: must be one of text, json, got 'xml'");
    assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("check-config", "--no-such-flag")).isEqualTo(2);
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing command");
  }

  @Test
  void helpAndVersionOnEveryCommand() {
    for (String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"check-config", "--help"}}) {
      assertThat(run(args)).isZero();
    }
    assertThat(out.toString()).contains("--config").contains("--set").contains("--cluster");
    for (String[] args : new String[][] {{"--version"}, {"run", "--version"}, {"check-config", "-V"}}) {
      assertThat(run(args)).isZero();
    }
    assertThat(out.toString()).contains("satellite 0.");
  }

  @Test
  void unknownActorTypeIsAConfigErrorNamingTheKey() {
    assertThat(run("check-config", "--set", "supervision.children=[{id: x, actor: no.such.Actor}]")).isEqualTo(2);
    assertThat(err.toString()).startsWith("config error: supervision.children[0].actor: unknown actor type 'no.such.Actor'");
  }
}
