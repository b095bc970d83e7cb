package dev.satellite.deploy;

import static dev.satellite.deploy.BaseManifests.container;
import static dev.satellite.deploy.BaseManifests.list;
import static dev.satellite.deploy.BaseManifests.map;
import static dev.satellite.deploy.BaseManifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.ConfigLoader;
import dev.satellite.config.ConfigTree;
import dev.satellite.config.Durations;
import dev.satellite.config.SatelliteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests agree with the code: the probes ask the admin listener, on paths it serves and on the
 * port the config gives it; every {@code SATELLITE_*} variable names a config key; the node config the ConfigMap
 * carries is valid; the pod's grace period outlasts the drain.
 */
class KubernetesManifestsTest {

  /** The config a pod runs with: the ConfigMap's node.yaml plus the container's SATELLITE_* literals. */
  private static SatelliteConfig podConfig(Map<String, Object> container) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (Object e : list(container.get("env"))) {
      Map<String, Object> var = map(e);
      if (var.get("value") != null && String.valueOf(var.get("name")).startsWith("SATELLITE_")) {
        env.put(String.valueOf(var.get("name")), String.valueOf(var.get("value")).replace("$(POD_NAMESPACE)", "ns"));
      }
    }
    return ConfigLoader.load(Path.of("k8s/base/node.yaml").toAbsolutePath(), env, List.of(), Path.of("")).config();
  }

  @Test
  void theProbesAskTheMetricsListenerAndTheAdminListenerStaysOnLoopback() throws Exception {
    Map<String, Object> container = container();
    SatelliteConfig config = podConfig(container);
    Map<String, Integer> ports = new HashMap<>();
    for (Object p : list(container.get("ports"))) {
      ports.put(String.valueOf(map(p).get("name")), (Integer) map(p).get("containerPort"));
    }
    assertThat(ports).containsOnlyKeys("http", "metrics", "hazelcast", "eventbus");
    assertThat(ports.get("metrics")).isEqualTo(config.metrics().port());
    assertThat(ports.get("http")).isEqualTo(config.http().port());
    assertThat(ports.get("eventbus")).isEqualTo(config.cluster().eventBusPort());
    assertThat(config.metrics().host()).as("reachable by the kubelet and Prometheus").isEqualTo("0.0.0.0");
    assertThat(config.admin().host()).as("the admin API only through kubectl port-forward").isEqualTo("127.0.0.1");
    assertThat(config.admin().tokens()).as("the token from a mounted Secret").singleElement()
        .satisfies(t -> {
          assertThat(t.file()).isPresent();
          assertThat(t.token()).isEmpty();
        });
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
      assertThat(get.get("port")).as(probe).isEqualTo("metrics");
      assertThat(get.get("path")).as(probe).isIn("/health/ready", "/health/live");
    }
  }

  @Test
  void everyChaosMeshManifestSelectsTheDeploymentsPodsAndItsPorts() throws Exception {
    Map<String, Object> podLabels = map(map(podTemplate().get("metadata")).get("labels"));
    Set<Integer> ports = new HashSet<>();
    for (Object p : list(container().get("ports"))) {
      ports.add((Integer) map(p).get("containerPort"));
    }
    Set<String> kinds = new HashSet<>();
    try (var files = Files.list(Path.of("chaos/k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        Map<String, Object> doc = new Yaml().load(Files.readString(file));
        assertThat(doc.get("apiVersion")).as(file.toString()).isEqualTo("chaos-mesh.org/v1alpha1");
        String kind = String.valueOf(doc.get("kind"));
        kinds.add(kind);
        Map<String, Object> spec = map(doc.get("spec"));
        if (kind.equals("Schedule")) {
          spec = map(spec.get(Character.toLowerCase(String.valueOf(spec.get("type")).charAt(0))
              + String.valueOf(spec.get("type")).substring(1)));
        }
        Map<String, Object> selects = map(map(spec.get("selector")).get("labelSelectors"));
        assertThat(podLabels).as(file + " selects the Deployment's pods").containsAllEntriesOf(map(selects));
        if (spec.containsKey("target") && spec.get("target") instanceof Map<?, ?> target) {
          assertThat(podLabels).as(file + " targets the Deployment's pods")
              .containsAllEntriesOf(map(map(map(target).get("selector")).get("labelSelectors")));
        }
        if (spec.containsKey("port")) {
          assertThat(ports).as(file + " acts on a port the container has").contains((Integer) spec.get("port"));
        }
        if (spec.containsKey("duration")) {
          assertThat(Durations.parse(String.valueOf(spec.get("duration")))).as(file + " duration").isPositive();
        }
      }
    }
    assertThat(kinds).contains("PodChaos", "NetworkChaos", "HTTPChaos");
  }
}
