package dev.satellite.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layers of the README's layout: each package may use only the ones listed below it, an internal one only its parent. */
class LayeringTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.satellite");

  @Test
  void nothingImportsUpward() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("cli").definedBy("dev.satellite.cli..")
        .layer("experiment").definedBy("dev.satellite.experiment..")
        .layer("node").definedBy("dev.satellite.node..")
        .layer("gateway").definedBy("dev.satellite.gateway..")
        .layer("admin").definedBy("dev.satellite.admin..")
        .layer("health").definedBy("dev.satellite.health..")
        .layer("http").definedBy("dev.satellite.http..")
        .layer("edge").definedBy("dev.satellite.edge..")
        .layer("services").definedBy("dev.satellite.services..")
        .layer("supervision").definedBy("dev.satellite.supervision..")
        .layer("actor").definedBy("dev.satellite.actor..")
        .layer("chaos").definedBy("dev.satellite.chaos..")
        .layer("cluster").definedBy("dev.satellite.cluster..")
        .layer("config").definedBy("dev.satellite.config..")
        .layer("metrics").definedBy("dev.satellite.metrics..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("experiment").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("node").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("gateway").mayOnlyBeAccessedByLayers("cli", "node")
        .whereLayer("admin").mayOnlyBeAccessedByLayers("cli", "node", "gateway")
        .whereLayer("health").mayOnlyBeAccessedByLayers("cli", "node", "gateway", "admin")
        .whereLayer("http").mayOnlyBeAccessedByLayers("cli", "node", "gateway", "admin", "health")
        .whereLayer("edge").mayOnlyBeAccessedByLayers("cli", "node", "gateway", "admin", "health", "http")
        .whereLayer("services").mayOnlyBeAccessedByLayers("cli", "node", "gateway", "admin", "health", "http", "edge")
        .whereLayer("supervision").mayOnlyBeAccessedByLayers("cli", "node", "gateway", "admin", "health", "http", "edge",
            "services")
        .whereLayer("actor").mayOnlyBeAccessedByLayers("cli", "node", "gateway", "admin", "health", "http", "edge", "services",
            "supervision")
        .whereLayer("chaos").mayOnlyBeAccessedByLayers("cli", "node", "gateway", "admin", "health", "http", "edge", "services",
            "supervision", "actor")
        .whereLayer("cluster").mayOnlyBeAccessedByLayers("cli", "node", "gateway", "admin", "health", "http", "edge", "services",
            "supervision", "actor", "chaos")
        .whereLayer("config").mayOnlyBeAccessedByLayers("cli", "node", "gateway", "admin", "health", "http", "edge", "services",
            "supervision", "actor", "chaos", "cluster")
        .check(MAIN);
  }

  /** The chaos runner is a client of nodes (HTTP, signals): it uses none of their code. */
  @Test
  void theExperimentLayerUsesNoOtherSatelliteLayer() {
    noClasses().that().resideInAPackage("dev.satellite.experiment..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.satellite.node..", "dev.satellite.gateway..",
            "dev.satellite.admin..", "dev.satellite.health..", "dev.satellite.http..", "dev.satellite.edge..",
            "dev.satellite.services..", "dev.satellite.supervision..", "dev.satellite.actor..", "dev.satellite.chaos..",
            "dev.satellite.cluster..", "dev.satellite.config..", "dev.satellite.metrics..", "dev.satellite.cli..")
        .check(MAIN);
  }

  @Test
  void anInternalPackageIsUsedOnlyByItsParent() {
    noClasses().that().resideOutsideOfPackage("dev.satellite.actor..")
        .should().dependOnClassesThat().resideInAPackage("dev.satellite.actor.internal..")
        .check(MAIN);
  }
}
