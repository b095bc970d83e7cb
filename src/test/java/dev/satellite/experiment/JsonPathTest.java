package dev.satellite.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonPathTest {

  private final Object doc = Json.parse("""
      {"status": "UP", "members": [{"id": "a", "up": true}, {"id": "b", "up": false}],
       "nested": {"deep": {"id": "c"}}, "odd key": 1}""");

  @Test
  void selectsMembersElementsAndWildcards() {
    assertThat(JsonPath.parse("$.status").select(doc)).containsExactly("UP");
    assertThat(JsonPath.parse("$.members[1].id").select(doc)).containsExactly("b");
    assertThat(JsonPath.parse("$.members[-1].up").select(doc)).containsExactly(false);
    assertThat(JsonPath.parse("$.members[*].id").select(doc)).containsExactly("a", "b");
    assertThat(JsonPath.parse("$.members.*.id").select(doc)).containsExactly("a", "b");
    assertThat(JsonPath.parse("$['odd key']").select(doc)).containsExactly(1);
    assertThat(JsonPath.parse("$").select(doc)).containsExactly(doc);
  }

  @Test
  void descendsToEveryDepth() {
    assertThat(JsonPath.parse("$..id").select(doc)).containsExactly("a", "b", "c");
  }

  @Test
  void selectsNothingWhereThereIsNothing() {
    assertThat(JsonPath.parse("$.missing.x").select(doc)).isEmpty();
    assertThat(JsonPath.parse("$.members[5]").select(doc)).isEmpty();
    assertThat(JsonPath.parse("$.status[0]").select(doc)).isEmpty();
    assertThat(JsonPath.parse("$.a").select(List.of(Map.of("a", 1)))).isEmpty();
  }

  @Test
  void refusesWhatItDoesNotSupport() {
    assertThatThrownBy(() -> JsonPath.parse("status")).hasMessageContaining("starts with $");
    assertThatThrownBy(() -> JsonPath.parse("$.a[1:2]")).hasMessageContaining("not supported");
    assertThatThrownBy(() -> JsonPath.parse("$.a[")).hasMessageContaining("unclosed");
    assertThatThrownBy(() -> JsonPath.parse("$.")).hasMessageContaining("a name must follow");
  }
}
