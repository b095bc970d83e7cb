package dev.satellite.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindingsTest {

  private final Bindings bindings = new Bindings(Map.of("url", "http://h:1", "port", 8080, "seed", 7L),
      Map.of("vault", Map.of("token", "s3cret", "port", 1)));

  @Test
  void aStringThatIsOnePlaceholderKeepsTheValuesType() {
    assertThat(bindings.substitute("${port}")).isEqualTo(8080);
    assertThat(bindings.substitute("$seed")).isEqualTo(7L);
  }

  @Test
  void placeholdersInsideTextBecomeText() {
    assertThat(bindings.substitute("${url}/x?p=$port&s=${seed}")).isEqualTo("http://h:1/x?p=8080&s=7");
  }

  @Test
  void configurationWinsOverSecretsAndSecretsAreFound() {
    assertThat(bindings.substitute("Bearer ${token} ${port}")).isEqualTo("Bearer s3cret 8080");
  }

  @Test
  void anUnknownPlaceholderAndADoubleDollarAreLeftAsChaosToolkitLeavesThem() {
    assertThat(bindings.substitute("${nope} $$ $.status")).isEqualTo("${nope} $ $.status");
    assertThat(bindings.substitute("${nope}")).isEqualTo("${nope}");
  }

  @Test
  void substitutesInsideMapsAndListsWithoutChangingTheOriginal() {
    Map<String, Object> data = Map.of("a", List.of("${port}", Map.of("b", "${url}")), "n", 3);
    assertThat(bindings.substitute(data)).isEqualTo(Map.of("a", List.of(8080, Map.of("b", "http://h:1")), "n", 3));
    assertThat(data.get("a")).isEqualTo(List.of("${port}", Map.of("b", "${url}")));
  }

  @Test
  void extraValuesWinOverTheFilesConfiguration() {
    assertThat(bindings.with(Map.of("port", 9)).substitute("${port} ${token}")).isEqualTo("9 s3cret");
  }
}
