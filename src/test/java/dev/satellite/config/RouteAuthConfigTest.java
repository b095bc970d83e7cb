package dev.satellite.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code auth} route policy as the config reads it: off by default, key by key over the defaults, checked at start. */
class RouteAuthConfigTest {

  private final Path dir = TestConfigs.emptyDir();

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private List<RouteSpec> routes(String yaml, String... sets) throws IOException {
    return ConfigLoader.load(file("node.yaml", yaml), Map.of(), List.of(sets), dir).config().routes();
  }

  private List<String> problems(String yaml) throws IOException {
    try {
      routes(yaml);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void isOffForTheBuiltInRoutesByDefault() {
    SatelliteConfig c = ConfigLoader.load(null, Map.of(), List.of(), dir).config();
    assertThat(c.routes()).allSatisfy(r -> assertThat(r.auth()).isEqualTo(RouteSpec.Auth.OFF));
    assertThat(c.actorCalls().auth().enabled()).isFalse();
  }

  @Test
  void routesTakeTheDefaultsKeyByKeyAndCanTurnEitherPartOff() throws IOException {
    file("tokens.txt", "# publishers\nfile-token-1\n\nfile-token-2  # rotated in March\n");
    List<RouteSpec> routes = routes("""
        defaults:
          auth: { tokens: [inline-1], tokenFile: tokens.txt }
        routes:
          - { path: /a, actor: hello }
          - { path: /b, actor: hello, auth: { tokens: [] } }
          - { path: /c, actor: hello, auth: { tokens: [], tokenFile: "" } }
          - { path: /d, actor: hello, auth: { tokens: [own-1, "own-2="] } }
        """);
    Path tokens = dir.resolve("tokens.txt").normalize();
    assertThat(routes.get(0).auth()).isEqualTo(new RouteSpec.Auth(List.of("inline-1"), Optional.of(tokens),
        List.of("file-token-1", "file-token-2")));
    assertThat(routes.get(1).auth().tokens()).isEmpty();
    assertThat(routes.get(1).auth().tokenFile()).contains(tokens);
    assertThat(routes.get(2).auth().enabled()).isFalse();
    assertThat(routes.get(3).auth().tokens()).containsExactly("own-1", "own-2=");
    assertThat(routes.get(3).auth().fileTokens()).containsExactly("file-token-1", "file-token-2");
  }

  @Test
  void tokensMayComeFromTheEnvironmentAsOneCommaSeparatedValue() {
    SatelliteConfig c = ConfigLoader.load(null, Map.of("SATELLITE_DEFAULTS_AUTH_TOKENS", "env-a, env-b"), List.of(), dir)
        .config();
    assertThat(c.routes().get(0).auth().tokens()).containsExactly("env-a", "env-b");
  }

  @Test
  void badTokensAndTokenFilesNameTheKeyButNeverTheToken() throws IOException {
    file("bad.txt", "good-one\nhas space inside\n# fine\nsemi;colon\n");
    file("empty.txt", "# nobody yet\n\n");
    List<String> problems = problems("""
        routes:
          - { path: /a, actor: hello, auth: { tokens: [fine-token, "leaked secret"] } }
          - { path: /b, actor: hello, auth: { tokenFile: missing.txt } }
          - { path: /c, actor: hello, auth: { tokenFile: bad.txt } }
          - { path: /d, actor: hello, auth: { tokenFile: empty.txt } }
          - { path: /e, actor: hello, auth: { token: x } }
        """);
    assertThat(problems).containsExactly(
        "routes[0].auth.tokens: entry 1 is not a bearer token (letters, digits and -._~+/, then any '=')",
        "routes[1].auth.tokenFile: no such file: " + dir.resolve("missing.txt").normalize(),
        "routes[2].auth.tokenFile: lines [2, 4] of " + dir.resolve("bad.txt").normalize()
            + " are not bearer tokens (letters, digits and -._~+/, then any '='; # starts a comment)",
        "routes[3].auth.tokenFile: " + dir.resolve("empty.txt").normalize()
            + " holds no token (one per line, # comments) and auth.tokens is empty",
        "routes[4].auth.token: unknown key (known here: tokenFile, tokens)");
    assertThat(String.join("\n", problems)).doesNotContain("leaked").doesNotContain("has space").doesNotContain("semi");
  }

  @Test
  void aBadDefaultIsReportedOnceUnderDefaults() throws IOException {
    assertThat(problems("defaults:\n  auth: { tokenFile: nope.txt }\n")).containsExactly(
        "defaults.auth.tokenFile: no such file: " + dir.resolve("nope.txt").normalize());
  }

  @Test
  void tokensAreRedactedInTheEffectiveTree() {
    var tree = ConfigLoader.load(null, Map.of(), List.of("defaults.auth.tokens=hunter2,hunter3"), dir).tree();
    String shown = ConfigTree.redacted(tree).get("defaults").toString();
    assertThat(shown).doesNotContain("hunter2").doesNotContain("hunter3");
  }
}
