package dev.satellite.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Tolerances matched against http ({status, headers, body}) and process ({status, stdout, stderr}) outputs. */
class ToleranceCheckTest {

  private final Bindings bindings = new Bindings(Map.of("expected", 200, "word", "UP", "limit", 2), Map.of());
  private final AtomicReference<Activity> ranProbe = new AtomicReference<>();

  private static Map<String, Object> http(int status, Object body) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", status);
    out.put("headers", Map.of("Content-Type", "application/json"));
    out.put("body", body);
    return out;
  }

  private static Map<String, Object> process(int status, String stdout) {
    return Map.of("status", status, "stdout", stdout, "stderr", "");
  }

  private boolean accepts(Tolerance t, Object output) throws InterruptedException {
    return ToleranceCheck.accepts(t, output, bindings, a -> {
      ranProbe.set(a);
      if (a.name().equals("fails")) {
        throw new ActivityFailed("refused");
      }
      return Map.of("status", 0);
    });
  }

  @Test
  void aNumberIsComparedWithTheStatusOfAnOutputAndWithAPlainValue() throws Exception {
    assertThat(accepts(new Tolerance.Value(200), http(200, "x"))).isTrue();
    assertThat(accepts(new Tolerance.Value(200), http(503, "x"))).isFalse();
    assertThat(accepts(new Tolerance.Value(0), process(0, ""))).isTrue();
    assertThat(accepts(new Tolerance.Value(1), process(0, ""))).isFalse();
    assertThat(accepts(new Tolerance.Value(3), 3.0)).isTrue();
    assertThat(accepts(new Tolerance.Value(0.5), 0.5)).isTrue();
  }

  @Test
  void aBooleanOrAStringMustEqualTheOutput() throws Exception {
    assertThat(accepts(new Tolerance.Value(true), true)).isTrue();
    assertThat(accepts(new Tolerance.Value(true), http(200, "x"))).isFalse();
    assertThat(accepts(new Tolerance.Value("UP"), "UP")).isTrue();
    assertThat(accepts(new Tolerance.Value("UP"), "DOWN")).isFalse();
  }

  @Test
  void aStringToleranceIsSubstitutedFirstAndKeepsTheValuesType() throws Exception {
    assertThat(accepts(new Tolerance.Value("${expected}"), http(200, "x"))).isTrue();
    assertThat(accepts(new Tolerance.Value("${word}"), "UP")).isTrue();
  }

  @Test
  void aListHoldsTheStatusOrBoundsAValue() throws Exception {
    assertThat(accepts(new Tolerance.Values(List.of(200, 204)), http(204, null))).isTrue();
    assertThat(accepts(new Tolerance.Values(List.of(200, 204)), http(503, null))).isFalse();
    assertThat(accepts(new Tolerance.Values(List.of(1, 5)), 3)).isTrue();
    assertThat(accepts(new Tolerance.Values(List.of(1, 5)), 6)).isFalse();
    assertThat(accepts(new Tolerance.Values(List.of("a", "b", "c")), "b")).isTrue();
    assertThat(accepts(new Tolerance.Values(List.of(1, 5)), "x")).isFalse();
  }

  @Test
  void aRegexSearchesTheTargetOfTheOutput() throws Exception {
    Tolerance onBody = new Tolerance.Regex(Pattern.compile("Hello"), "Hello", "body");
    assertThat(accepts(onBody, http(200, "Hello, World!"))).isTrue();
    assertThat(accepts(onBody, http(200, "Bye"))).isFalse();
    Tolerance onStdout = new Tolerance.Regex(Pattern.compile("^ok$", Pattern.MULTILINE), "^ok$", "stdout");
    assertThat(accepts(onStdout, process(0, "x\nok\n"))).isTrue();
    assertThat(accepts(new Tolerance.Regex(null, "^${word}$", null), "UP")).isTrue();
    assertThat(accepts(onBody, http(200, Map.of("a", 1)))).as("a regex on a JSON body is not met").isFalse();
  }

  @Test
  void aJsonPathFindsExpectsAndCounts() throws Exception {
    Object body = Map.of("status", "UP", "checks", List.of(Map.of("ok", true), Map.of("ok", true)));
    assertThat(accepts(jsonPath("$.status", false, null, null), http(200, body))).isTrue();
    assertThat(accepts(jsonPath("$.missing", false, null, null), http(200, body))).isFalse();
    assertThat(accepts(jsonPath("$.status", true, "UP", null), http(200, body))).isTrue();
    assertThat(accepts(jsonPath("$.status", true, "${word}", null), http(200, body))).isTrue();
    assertThat(accepts(jsonPath("$.status", true, "DOWN", null), http(200, body))).isFalse();
    assertThat(accepts(jsonPath("$.checks[*].ok", true, List.of(true, true), null), http(200, body))).isTrue();
    assertThat(accepts(jsonPath("$.checks[*]", false, null, 2), http(200, body))).isTrue();
    assertThat(accepts(jsonPath("$.checks[*]", false, null, 3), http(200, body))).isFalse();
    assertThat(accepts(jsonPath("$.status", true, "UP", null), http(200, "{\"status\": \"UP\"}")))
        .as("a text body is parsed as JSON").isTrue();
    assertThat(accepts(new Tolerance.JsonPath(JsonPath.parse("$.n"), "$.n", true, 3, null, "stdout"), process(0, "{\"n\": 3}")))
        .isTrue();
  }

  private static Tolerance jsonPath(String path, boolean hasExpect, Object expect, Integer count) {
    return new Tolerance.JsonPath(JsonPath.parse(path), path, hasExpect, expect, count, "body");
  }

  @Test
  void aRangeBoundsTheTargetAsANumber() throws Exception {
    assertThat(accepts(new Tolerance.Range(200, 299, "status"), http(204, null))).isTrue();
    assertThat(accepts(new Tolerance.Range(200, 299, "status"), http(503, null))).isFalse();
    assertThat(accepts(new Tolerance.Range(0, 1.5, "stdout"), process(0, "1.25\n"))).isTrue();
    assertThat(accepts(new Tolerance.Range(0, 1, "body"), http(200, Map.of()))).isFalse();
  }

  @Test
  void aProbeToleranceRunsItsActivityWithTheValueAndIsMetUnlessItFails() throws Exception {
    Activity checker = new Activity("probe", "checker",
        new Provider.Http("http://x", "GET", Map.of(), Map.of("a", 1), null, true, null), null, Pauses.NONE, false, null, Map.of());
    Map<String, Object> output = http(200, "x");
    assertThat(accepts(new Tolerance.Probe(checker), output)).isTrue();
    assertThat(((Provider.Http) ranProbe.get().provider()).arguments()).isEqualTo(Map.of("a", 1, "value", output));
    Activity fails = new Activity("probe", "fails",
        new Provider.Process("true", null, null), null, Pauses.NONE, false, null, Map.of());
    assertThat(accepts(new Tolerance.Probe(fails), output)).isFalse();
  }

  @Test
  void aPercentReadsARatioAndBoundsItInPercent() throws Exception {
    Tolerance atMostOne = new Tolerance.Percent("body", JsonPath.parse("$.errorRate"), null, 1.0);
    assertThat(accepts(atMostOne, http(200, Map.of("errorRate", 0.005)))).isTrue();
    assertThat(accepts(atMostOne, http(200, Map.of("errorRate", 0.02)))).isFalse();
    assertThat(accepts(atMostOne, http(200, Map.of()))).isFalse();
    assertThat(accepts(new Tolerance.Percent("stdout", null, 90.0, null), process(0, "0.95"))).isTrue();
    assertThat(accepts(new Tolerance.Percent(null, null, 90.0, 100.0), 0.5)).isFalse();
  }
}
