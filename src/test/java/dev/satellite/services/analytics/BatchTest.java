package dev.satellite.services.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.actor.BodyTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Validation of a request's events: the first mistake refuses the whole request, naming field and index. */
class BatchTest {

  private static final long NOW = 1_700_000_000_000L;

  private static String refusal(Object body) {
    try {
      Batch.parse(body, 3, 16, NOW);
    } catch (BodyTypes.BadBody bad) {
      assertThat(bad.code()).isEqualTo(400);
      return bad.getMessage();
    }
    throw new AssertionError("accepted " + body);
  }

  @Test
  void oneEventOrABatchIsGroupedByNameWithDefaults() {
    Batch one = Batch.parse(new JsonObject().put("name", "signup"), 3, 16, NOW);
    assertThat(one.events()).isEqualTo(1);
    assertThat(one.byName().get("signup").sum()).isEqualTo(1.0);
    Batch b = Batch.parse(new JsonArray().add(new JsonObject().put("name", "a").put("value", 2.5).put("ts", NOW - 5))
        .add(new JsonObject().put("name", "b")).add(new JsonObject().put("name", "a").put("value", 1)), 3, 16, NOW);
    assertThat(b.events()).isEqualTo(3);
    assertThat(b.byName()).containsOnlyKeys("a", "b");
    assertThat(b.byName().get("a").count()).isEqualTo(2);
    assertThat(b.byName().get("a").sum()).isEqualTo(3.5);
  }

  @Test
  void eachMistakeNamesItsFieldAndIndex() {
    JsonObject ok = new JsonObject().put("name", "ok");
    assertThat(refusal(new JsonArray().add(ok).add(new JsonObject().put("name", "x").put("value", "7"))))
        .startsWith("events[1].value: must be a number");
    assertThat(refusal(new JsonArray().add(ok).add(ok).add(new JsonObject().put("name", "bad name"))))
        .startsWith("events[2].name: must be 1-16");
    assertThat(refusal(new JsonArray().add(new JsonObject().put("value", 1)))).startsWith("events[0].name: required");
    assertThat(refusal(new JsonArray().add(ok).add("x"))).startsWith("events[1]: must be an event object");
    assertThat(refusal(new JsonArray().add(new JsonObject().put("name", "a").put("ts", 1.5))))
        .startsWith("events[0].ts: must be a whole");
    assertThat(refusal(new JsonArray().add(new JsonObject().put("name", "a").put("ts", -1)))).startsWith("events[0].ts");
    assertThat(refusal(new JsonArray().add(new JsonObject().put("name", "a").put("extra", 1))))
        .startsWith("events[0].extra: unknown field");
    assertThat(refusal(new JsonObject().put("name", "x".repeat(17)))).startsWith("name: must be 1-16");
    assertThat(refusal(new JsonObject().put("name", "a").put("value", true))).startsWith("value: must be a number");
  }

  @Test
  void aTimestampFarAheadOfTheNodesClockIsRefusedAndOneALittleAheadIsKept() {
    JsonObject ok = new JsonObject().put("name", "ok");
    assertThat(refusal(new JsonArray().add(ok).add(new JsonObject().put("name", "x").put("ts", NOW + 30L * 86_400_000))))
        .startsWith("events[1].ts: ").contains("more than 5 minutes ahead");
    Batch near = Batch.parse(new JsonObject().put("name", "x").put("ts", NOW + Batch.MAX_AHEAD_MS), 3, 16, NOW);
    assertThat(near.byName()).containsKey("x");
  }

  @Test
  void anEmptyOrOversizedBatchOrAnotherBodyIsRefused() {
    assertThat(refusal(new JsonArray())).startsWith("events: the batch is empty");
    assertThat(refusal(new JsonArray().add(new JsonObject().put("name", "a")).add(new JsonObject().put("name", "a"))
        .add(new JsonObject().put("name", "a")).add(new JsonObject().put("name", "a"))))
        .startsWith("events: the batch has 4 events, more than the 3 allowed");
    assertThat(refusal("text")).startsWith("events: the body must be an event object or an array");
  }

  @Test
  void nameCheckOfTheStatsPath() {
    assertThat(Batch.checkName("a.b:c-d_e", "name", 16)).isEqualTo("a.b:c-d_e");
    assertThatThrownBy(() -> Batch.checkName("-x", "name", 16)).isInstanceOf(BodyTypes.BadBody.class)
        .hasMessageStartingWith("name: must be");
  }
}
