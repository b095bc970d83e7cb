package dev.satellite.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When the runner holds a local cluster formed: every serving node lists the others serving and has heard each. */
class LocalClusterFormationTest {

  private static JsonObject member(String id, String state) {
    return new JsonObject().put("id", id).put("state", state);
  }

  private static JsonObject view(JsonArray members, String... awaiting) {
    return new JsonObject().put("members", members).put("awaitingFirstTick", new JsonArray(java.util.List.of(awaiting)));
  }

  @Test
  void aViewListingEveryOtherServingNodeHeardFromLacksNothing() {
    JsonObject v = view(new JsonArray().add(member("n1", "serving")).add(member("n2", "serving"))
        .add(member("n3", "serving")));
    assertThat(LocalCluster.unheard("n1", Set.of("n1", "n2", "n3"), v)).isEmpty();
  }

  @Test
  void aPeerNotYetHeardFromOrNotServingIsNamed() {
    JsonObject v = view(new JsonArray().add(member("n1", "serving")).add(member("n2", "serving"))
        .add(member("n3", "joining")), "n2");
    assertThat(LocalCluster.unheard("n1", Set.of("n1", "n2", "n3"), v))
        .containsExactly("n1 has heard no tick from n2", "n1 does not list n3 as serving");
  }

  @Test
  void onlyTheNodesTheRunnerSeesServingCount() {
    // n2 is frozen: the runner leaves it out, and n1 still listing it, unheard, does not hold the cluster back
    JsonObject v = view(new JsonArray().add(member("n1", "serving")).add(member("n2", "serving"))
        .add(member("n3", "serving")), "n2");
    assertThat(LocalCluster.unheard("n1", Set.of("n1", "n3"), v)).isEmpty();
  }

  @Test
  void aStandaloneViewListsNoOne() {
    assertThat(LocalCluster.unheard("n1", Set.of("n1", "n2"), new JsonObject().put("clustered", false)))
        .containsExactly("n1 does not list n2 as serving");
  }
}
