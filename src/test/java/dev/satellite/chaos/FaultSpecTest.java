package dev.satellite.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultSpecTest {

  private static final FaultSpec.Catalog CATALOG = FaultSpec.Catalog.of(Set.of("hello", "echo"), Set.of("hello", "proxy"),
      Set.of("proxy"));

  private static FaultSpec parse(String json) {
    return FaultSpec.parse(new JsonObject(json), CATALOG);
  }

  private static List<String> problems(String json) {
    return catchThrowableOfType(() -> parse(json), FaultSpec.BadFault.class).problems();
  }

  @Test
  void everyTypeReadsItsOwnFieldsAndTheCommonOnes() {
    FaultSpec latency = parse("{\"type\":\"latency\",\"target\":\"upstream:proxy\",\"delayMs\":200,\"jitterMs\":50,"
        + "\"probability\":0.25,\"seed\":7,\"durationMs\":30000}");
    assertThat(latency).isEqualTo(new FaultSpec(FaultType.LATENCY, FaultTarget.upstream("proxy"), Duration.ofSeconds(30), 0.25,
        7L, 0, 200, 50, 0, 0, 0));
    assertThat(parse("{\"type\":\"crash\",\"target\":\"hello\"}").count()).isEqualTo(1);
    assertThat(parse("{\"type\":\"crash\",\"target\":\"hello\"}").duration()).isEqualTo(FaultSpec.DEFAULT_DURATION);
    assertThat(parse("{\"type\":\"error\",\"target\":\"route:hello\",\"status\":503}").status()).isEqualTo(503);
    assertThat(parse("{\"type\":\"error\",\"target\":\"actor:echo\"}").status()).isEqualTo(FaultSpec.DEFAULT_ACTOR_CODE);
    FaultSpec exit = parse("{\"type\":\"exit\",\"delayMs\":1500}");
    assertThat(exit.status()).isEqualTo(137);
    assertThat(exit.target()).isEqualTo(FaultTarget.NODE);
    assertThat(parse("{\"type\":\"exit\",\"target\":\"node\",\"exitCode\":3}").status()).isEqualTo(3);
    assertThat(parse("{\"type\":\"block-event-loop\",\"durationMs\":1000}").duration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(parse("{\"type\":\"memory-pressure\",\"fraction\":0.5}").fraction()).isEqualTo(0.5);
    assertThat(parse("{\"type\":\"cpu-burn\",\"threads\":2,\"durationMs\":100}").threads()).isEqualTo(2);
    assertThat(parse("{\"type\":\"hang\",\"target\":\"hello\",\"durationMs\":1000}").seed()).isNull();
  }

  @Test
  void eachProblemNamesItsField() {
    assertThat(problems("{\"type\":\"melt\"}")).singleElement().asString().startsWith("'type' must be one of [crash, hang,");
    assertThat(problems("{\"type\":\"crash\"}")).singleElement().asString().startsWith("'target' is required");
    assertThat(problems("{\"type\":\"crash\",\"target\":\"nobody\"}")).singleElement().asString()
        .isEqualTo("'target' nobody is unknown: this node's actors are [echo, hello].");
    assertThat(problems("{\"type\":\"crash\",\"target\":\"route:hello\"}")).singleElement().asString()
        .contains("must be an actor (actor:<id>), not route");
    assertThat(problems("{\"type\":\"latency\",\"target\":\"upstream:hello\",\"delayMs\":1}")).singleElement().asString()
        .contains("upstreams are [proxy]");
    assertThat(problems("{\"type\":\"latency\",\"target\":\"hello\"}")).singleElement().asString()
        .startsWith("'delayMs' is required");
    assertThat(problems("{\"type\":\"error\",\"target\":\"route:hello\",\"status\":200}")).singleElement().asString()
        .isEqualTo("'status' must be a whole number from 400 to 599.");
    assertThat(problems("{\"type\":\"crash\",\"target\":\"hello\",\"probability\":1.5,\"count\":0}"))
        .containsExactly("'probability' must be a number from 0.0 to 1.0.", "'count' must be a whole number from 1 to 1000000.");
    assertThat(problems("{\"type\":\"hang\",\"target\":\"hello\"}")).singleElement().asString().startsWith("'durationMs' is required");
    assertThat(problems("{\"type\":\"block-event-loop\",\"durationMs\":600000}")).singleElement().asString()
        .isEqualTo("'durationMs' must be a whole number from 1 to 60000.");
    assertThat(problems("{\"type\":\"memory-pressure\",\"fraction\":0.95}")).singleElement().asString()
        .startsWith("'fraction' must be a number from above 0 to 0.9");
    assertThat(problems("{\"type\":\"exit\",\"target\":\"hello\",\"probability\":0.5}")).containsExactly(
        "'target' of a exit fault can only be \"node\" (or left out).",
        "A exit fault takes only [delayMs, durationMs, exitCode, seed, target, type]; unknown: [probability].");
    assertThat(problems("{\"type\":\"latency\",\"target\":\"hello\",\"delayMs\":5,\"delay\":5}")).singleElement().asString()
        .endsWith("unknown: [delay].");
    assertThat(problems("{\"type\":\"crash\",\"target\":\"queue:x\"}")).singleElement().asString()
        .isEqualTo("'target' queue:x: unknown kind 'queue' (actor, route, upstream or node).");
  }

  @Test
  void aRouteIsNamedByItsNameOrByAPathOnlyItHas() {
    FaultSpec.Catalog catalog = FaultSpec.Catalog.of(Set.of(), java.util.Map.of("/a GET", "/a", "/b GET", "/b", "/b POST", "/b"),
        Set.of("/a GET"));
    assertThat(FaultSpec.parse(new JsonObject("{\"type\":\"latency\",\"target\":\"route:/a\",\"delayMs\":1}"), catalog)
        .target()).isEqualTo(FaultTarget.route("/a GET"));
    assertThat(FaultSpec.parse(new JsonObject("{\"type\":\"latency\",\"target\":\"upstream:/a\",\"delayMs\":1}"), catalog)
        .target()).isEqualTo(FaultTarget.upstream("/a GET"));
    assertThat(FaultSpec.parse(new JsonObject("{\"type\":\"latency\",\"target\":\"route:/b POST\",\"delayMs\":1}"), catalog)
        .target()).isEqualTo(FaultTarget.route("/b POST"));
    assertThat(catchThrowableOfType(() -> FaultSpec.parse(
        new JsonObject("{\"type\":\"latency\",\"target\":\"route:/b\",\"delayMs\":1}"), catalog), FaultSpec.BadFault.class)
        .problems()).containsExactly("'target' route:/b is unknown: this node's routes are [/a GET, /b GET, /b POST].");
  }
}
