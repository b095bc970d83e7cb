package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build's CycloneDX bill of materials ({@code target/bom.json}, made at {@code package}) names what the jar ships
 * — every runtime library — and nothing that only the tests use.
 */
class BillOfMaterialsIT {

  @Test
  void theBomListsTheRuntimeLibrariesAndNoTestOnes() throws Exception {
    Path bom = NodeProcess.jar().resolveSibling("bom.json");
    assertThat(bom).exists();
    JsonObject doc = new JsonObject(Files.readString(bom));
    assertThat(doc.getString("bomFormat")).isEqualTo("CycloneDX");
    assertThat(doc.getJsonObject("metadata").getJsonObject("component").getString("name")).isEqualTo("satellite");
    JsonArray components = doc.getJsonArray("components");
    List<String> names = components.stream().map(c -> ((JsonObject) c).getString("name")).toList();
    assertThat(names).contains("vertx-core", "vertx-web", "vertx-hazelcast", "hazelcast", "micrometer-registry-prometheus",
        "netty-handler", "picocli", "logback-classic", "uplot");
    assertThat(names).doesNotContain("junit-jupiter-api", "selenium-java", "assertj-core", "bcpkix-jdk18on",
        "vertx-junit5");
    assertThat(components).allSatisfy(c -> assertThat(((JsonObject) c).getString("purl")).startsWith("pkg:maven/"));
  }
}
