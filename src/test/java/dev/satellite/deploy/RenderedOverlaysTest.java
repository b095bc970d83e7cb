package dev.satellite.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.config.ConfigLoader;
import dev.satellite.config.SatelliteConfig;
import dev.satellite.metrics.MetricNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Each overlay as Kubernetes would receive it ({@code kubectl kustomize}, skipped where kubectl is absent), read as
 * typed objects, checked against the code: the config the pods run with passes the node's own validation and names
 * the ports the containers expose; the pod meets the restricted Pod Security profile; the Services, the network
 * policy, the autoscaler and the monitoring agree with the Deployment and with the metrics the node exports.
 */
class RenderedOverlaysTest {

  private static final double MIB = 1024 * 1024;

  /**
   * What a node needs of its memory limit beside its heap: 157–166 MiB measured (a clustered node under load in a
   * 512Mi memory cgroup, its heap touched to 282–320 MiB, the image's runtime: bench/collector.sh, bench/RESULTS.md
   * 2026-12-04), and some room. With 75 % of 512Mi for the heap (128 MiB beside it) the kernel killed the node under
   * that load.
   */
  private static final double BESIDE_HEAP_MIB = 200;

  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** The rendered documents of {@code overlay}, by kind. */
  private static Map<String, List<Map<String, Object>>> render(String overlay) throws Exception {
    Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map(d -> Path.of(d, "kubectl"))
        .filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(kubectl != null, "skipped: kubectl is not installed here, so the overlays cannot be rendered");
    Process p = new ProcessBuilder(kubectl.toString(), "kustomize", "k8s/overlays/" + overlay).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Map<String, List<Map<String, Object>>> byKind = new HashMap<>();
    for (Object doc : new Yaml().loadAll(out)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) doc;
      byKind.computeIfAbsent(String.valueOf(m.get("kind")), k -> new ArrayList<>()).add(m);
    }
    return byKind;
  }

  private static <T> T one(Map<String, List<Map<String, Object>>> docs, String kind, Class<T> type) {
    assertThat(docs.get(kind)).as(kind).hasSize(1);
    return JSON.convertValue(docs.get(kind).get(0), type);
  }

  private static <T> List<T> all(Map<String, List<Map<String, Object>>> docs, String kind, Class<T> type) {
    return docs.getOrDefault(kind, List.of()).stream().map(d -> JSON.convertValue(d, type)).toList();
  }

  /** The config a pod runs with: the ConfigMap's node.yaml and the container's literal SATELLITE_* variables. */
  private static SatelliteConfig podConfig(ConfigMap config, Container container) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (EnvVar v : container.getEnv()) {
      if (v.getName().startsWith("SATELLITE_") && v.getValue() != null) {
        env.put(v.getName(), v.getValue().replace("$(POD_NAMESPACE)", "ns"));
      }
    }
    Path file = Files.createTempFile("node", ".yaml");
    Files.writeString(file, config.getData().get("node.yaml"));
    return ConfigLoader.load(file, env, List.of(), file.getParent()).config();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theDeploymentRunsAValidConfigOnThePortsItExposesInARestrictedPod(String overlay) throws Exception {
    Map<String, List<Map<String, Object>>> docs = render(overlay);
    Deployment deployment = one(docs, "Deployment", Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    ConfigMap nodeYaml = all(docs, "ConfigMap", ConfigMap.class).stream()
        .filter(m -> m.getMetadata().getName().startsWith("satellite-config")).findFirst().orElseThrow();
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getConfigMap().getName()).isEqualTo(nodeYaml.getMetadata().getName()));
    SatelliteConfig config = podConfig(nodeYaml, c); // throws, naming the keys, if the node would exit 2

    assertThat(c.getCommand()).as("the image's entrypoint runs the node").isNullOrEmpty();
    assertThat(c.getArgs()).containsExactly("run", "--config", "/etc/satellite/node.yaml");
    assertThat(c.getEnv()).as("JVM flags go where the image's launcher reads them (image/runtime.sh)")
        .anySatisfy(v -> {
          assertThat(v.getName()).isEqualTo("JAVA_OPTS");
          assertThat(v.getValue()).contains("-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=");
        })
        .noneSatisfy(v -> assertThat(v.getName()).isEqualTo("JAVA_TOOL_OPTIONS"));
    String opts = c.getEnv().stream().filter(v -> v.getName().equals("JAVA_OPTS")).findFirst().orElseThrow().getValue();
    Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(opts);
    assertThat(percent.find()).as(opts).isTrue();
    double limitMib = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).doubleValue() / MIB;
    assertThat(limitMib * (1 - Double.parseDouble(percent.group(1)) / 100))
        .as("MiB of the %s MiB memory limit left beside a full heap (%s)", limitMib, opts)
        .isGreaterThanOrEqualTo(BESIDE_HEAP_MIB);
    Map<String, Integer> ports = new HashMap<>();
    for (ContainerPort p : c.getPorts()) {
      ports.put(p.getName(), p.getContainerPort());
    }
    assertThat(ports).containsExactlyInAnyOrderEntriesOf(Map.of("http", config.http().port(), "metrics",
        config.metrics().port(), "hazelcast", 5701, "eventbus", config.cluster().eventBusPort()));
    assertThat(config.admin().host()).isEqualTo("127.0.0.1");
    assertThat(Stream.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe()))
        .allSatisfy(probe -> assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("metrics"));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/port", String.valueOf(config.metrics().port()));
    assertThat((long) pod.getTerminationGracePeriodSeconds()).as("grace period > drainDelay + grace")
        .isGreaterThan(config.shutdown().drainDelay().plus(config.shutdown().grace()).toSeconds());

    // restricted Pod Security profile
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);

    // its own identity, with no API token
    ServiceAccount sa = one(docs, "ServiceAccount", ServiceAccount.class);
    assertThat(pod.getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
    assertThat(sa.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theServicesAndTheNetworkPolicyOpenWhatIsNeededAndTheAdminPortToNobody(String overlay) throws Exception {
    Map<String, List<Map<String, Object>>> docs = render(overlay);
    Deployment deployment = one(docs, "Deployment", Deployment.class);
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    Map<String, Integer> ports = new HashMap<>();
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts()
        .forEach(p -> ports.put(p.getName(), p.getContainerPort()));
    List<Service> services = all(docs, "Service", Service.class);
    assertThat(services).hasSize(2).allSatisfy(s -> assertThat(podLabels).containsAllEntriesOf(s.getSpec().getSelector()));
    Service headless = services.stream().filter(s -> "None".equals(s.getSpec().getClusterIP())).findFirst().orElseThrow();
    assertThat(headless.getSpec().getPorts()).extracting(ServicePort::getPort)
        .containsExactlyInAnyOrder(ports.get("hazelcast"), ports.get("eventbus"));
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).as("members find each other before they are ready").isTrue();

    NetworkPolicy policy = one(docs, "NetworkPolicy", NetworkPolicy.class);
    assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
    Map<Integer, List<NetworkPolicyPeer>> openedTo = new HashMap<>();
    for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
      assertThat(rule.getPorts()).as("every rule names its ports").isNotEmpty();
      assertThat(rule.getFrom()).as("every rule names who").isNotEmpty();
      for (NetworkPolicyPort p : rule.getPorts()) {
        openedTo.computeIfAbsent(p.getPort().getIntVal(), k -> new ArrayList<>()).addAll(rule.getFrom());
      }
    }
    assertThat(openedTo).containsOnlyKeys(ports.get("http"), ports.get("metrics"), ports.get("hazelcast"), ports.get("eventbus"));
    assertThat(openedTo).doesNotContainKey(9090); // the admin listener: nobody
    assertThat(openedTo.get(ports.get("metrics"))).singleElement().satisfies(peer -> {
      assertThat(peer.getPodSelector()).isNull();
      assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring");
    });
    for (String cluster : List.of("hazelcast", "eventbus")) {
      assertThat(openedTo.get(ports.get(cluster))).singleElement().satisfies(peer -> {
        assertThat(peer.getNamespaceSelector()).isNull();
        assertThat(podLabels).containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
      });
    }
    assertThat(openedTo.get(ports.get("http"))).anySatisfy(peer -> assertThat(peer.getNamespaceSelector()).isNotNull());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theAutoscalerTargetsTheDeploymentAndKeepsAPodThroughADisruption(String overlay) throws Exception {
    Map<String, List<Map<String, Object>>> docs = render(overlay);
    Deployment deployment = one(docs, "Deployment", Deployment.class);
    PodDisruptionBudget pdb = one(docs, "PodDisruptionBudget", PodDisruptionBudget.class);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    List<HorizontalPodAutoscaler> hpas = all(docs, "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    if (overlay.equals("dev")) {
      assertThat(hpas).isEmpty();
      assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
      return;
    }
    assertThat(hpas).hasSize(1);
    HorizontalPodAutoscaler hpa = hpas.get(0);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
    assertThat(deployment.getSpec().getReplicas()).as("the autoscaler owns the count").isNull();
    assertThat(hpa.getSpec().getMinReplicas()).isGreaterThan(pdb.getSpec().getMaxUnavailable().getIntVal())
        .isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
    assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).isGreaterThanOrEqualTo(60);
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
  }

  /** Every Satellite metric the dashboard and the alerts name is one the node defines. */
  @ParameterizedTest
  @ValueSource(strings = {"prod"})
  void theDashboardAndTheAlertsNameMetricsTheNodeExports(String overlay) throws Exception {
    Map<String, List<Map<String, Object>>> docs = render(overlay);
    ConfigMap dashboard = all(docs, "ConfigMap", ConfigMap.class).stream()
        .filter(m -> m.getMetadata().getName().startsWith("satellite-dashboard")).findFirst().orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    String json = dashboard.getData().get("satellite-dashboard.json");
    assertThat(JSON.readTree(json).get("panels").size()).isGreaterThanOrEqualTo(6);
    Set<String> known = new HashSet<>();
    for (Field f : MetricNames.class.getFields()) {
      known.add((String) f.get(null));
    }
    String rules = new Yaml().dump(docs.get("PrometheusRule").get(0).get("spec"));
    Set<String> named = new HashSet<>();
    Matcher m = Pattern.compile("satellite_[a-z_]+").matcher(json + rules);
    while (m.find()) {
      named.add(m.group().replaceAll("(_seconds)?(_bucket|_total|_sum|_count)?$", "").replaceAll("_seconds$", ""));
    }
    named.remove("satellite_dashboard"); // the ConfigMap's own name, not a metric
    assertThat(named).hasSizeGreaterThan(8);
    assertThat(known).containsAll(named);
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod"})
  void theAlertsPassPromtoolsUnitTests(String overlay) throws Exception {
    Path promtool = Stream.of("/usr/bin/promtool", "/usr/local/bin/promtool").map(Path::of).filter(Files::isExecutable)
        .findFirst().orElse(null);
    Assumptions.assumeTrue(promtool != null,
        "skipped: promtool is not installed here (.ci/run installs Debian's prometheus package, which has it)");
    Map<String, List<Map<String, Object>>> docs = render(overlay);
    Path dir = Files.createTempDirectory("alerts");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) docs.get("PrometheusRule").get(0).get("spec");
    Files.writeString(dir.resolve("alerts.rules.yaml"), new Yaml().dump(Map.of("groups", spec.get("groups"))));
    Files.copy(Path.of("k8s/tests/alerts.test.yaml"), dir.resolve("alerts.test.yaml"));
    for (List<String> command : List.of(List.of("check", "rules", "alerts.rules.yaml"), List.of("test", "rules", "alerts.test.yaml"))) {
      List<String> full = new ArrayList<>(List.of(promtool.toString()));
      full.addAll(command);
      Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("promtool %s:%n%s", command, out).isZero();
    }
  }
}
