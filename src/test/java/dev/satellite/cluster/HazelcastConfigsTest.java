package dev.satellite.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryYamlConfig;
import com.hazelcast.config.InvalidConfigurationException;
import dev.satellite.config.ConfigException;
import dev.satellite.config.ConfigLoader;
import dev.satellite.support.TestConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HazelcastConfigsTest {

  private static Config build(String... sets) {
    return HazelcastConfigs.build(ConfigLoader.load(null, Map.of(), List.of(sets), TestConfigs.emptyDir()).config().cluster());
  }

  @Test
  void pushHistoriesAreRingbuffersOfHistorySizeWithOneSynchronousBackup() {
    var loaded = ConfigLoader.load(null, Map.of(), List.of("push.historySize=77"), TestConfigs.emptyDir()).config();
    Config config = HazelcastConfigs.build(loaded.cluster(), loaded.push().historySize());
    var ring = config.findRingbufferConfig("satellite.push.news@news");
    assertThat(ring.getCapacity()).isEqualTo(77);
    assertThat(ring.getBackupCount()).isEqualTo(1);
    assertThat(ring.getAsyncBackupCount()).isZero();
    var epochs = config.findMapConfig("satellite.push.epochs");
    assertThat(epochs.getBackupCount()).isEqualTo(1);
    assertThat(epochs.getMergePolicyConfig().getPolicy()).isEqualTo("dev.satellite.services.push.EpochMergePolicy");
    assertThat(epochs.getInMemoryFormat()).isEqualTo(com.hazelcast.config.InMemoryFormat.OBJECT);
    assertVertxStructures(config);
  }

  private static void assertVertxStructures(Config config) {
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(config.getMapConfigs()).containsKeys("__vertx.haInfo", "__vertx.nodeInfo", "satellite.nodes");
    // Vert.x announces its registrations and node info again whenever a member leaves: their backups need not hold
    // up a write (a synchronous one could stall a joining node for Hazelcast's 5 s backup timeout)
    var subs = config.getMultiMapConfig("__vertx.subs");
    assertThat(subs.getBackupCount()).isZero();
    assertThat(subs.getAsyncBackupCount()).isEqualTo(1);
    var nodeInfo = config.getMapConfig("__vertx.nodeInfo");
    assertThat(nodeInfo.getBackupCount()).isZero();
    assertThat(nodeInfo.getAsyncBackupCount()).isEqualTo(1);
    // the node registry stays synchronous: a claimed id is on two members before the node goes on
    assertThat(config.getMapConfig("satellite.nodes").getBackupCount()).isEqualTo(1);
    assertThat(config.getMemberAttributeConfig().getAttribute("__vertx.nodeId")).isNotBlank();
    // the shared rate-limit buckets: idle ones expire, and the map is bounded by the heap it uses, not by a count
    var rateLimit = config.getMapConfig("satellite.ratelimit");
    assertThat(rateLimit.getMaxIdleSeconds()).isEqualTo(120);
    assertThat(rateLimit.getEvictionConfig().getMaxSizePolicy())
        .isEqualTo(com.hazelcast.config.MaxSizePolicy.USED_HEAP_SIZE);
    assertThat(rateLimit.getEvictionConfig().getSize()).isEqualTo(16);
    assertThat(rateLimit.getEvictionConfig().getEvictionPolicy()).isEqualTo(com.hazelcast.config.EvictionPolicy.LRU);
  }

  @Test
  void theBuiltInConfigFormsAClusterOnLoopbackOnly() {
    Config config = build("cluster.name=blue");
    assertThat(config.getClusterName()).isEqualTo("blue");
    var join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertVertxStructures(config);
  }

  @Test
  void onLoopbackNodesStartedTogetherElectAMasterAfterASecondAndFindTheClusterOnAnyPortOfTheRange() {
    Config config = build();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getConnectionTimeoutSeconds()).isEqualTo(1);
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(config.getProperty("hazelcast.tcp.join.port.try.count"))
        .isEqualTo(String.valueOf(config.getNetworkConfig().getPortCount()));
    assertThat(config.getProperty("hazelcast.health.monitoring.level")).isEqualTo("OFF");
    assertThat(config.getMetricsConfig().isEnabled()).isFalse();
  }

  @Test
  void inKubernetesTheJoinWaitsOutlastTheDnsCacheSoAScaleUpFormsOneCluster() {
    Config config = build("cluster.kubernetes.serviceDns=satellite-hazelcast.prod.svc.cluster.local");
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.max.wait.seconds.before.join")).isEqualTo("20");
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getConnectionTimeoutSeconds()).isEqualTo(5);
  }

  @Test
  void failureDetectionIsTunedForCrashFast() {
    Config config = build();
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("5");
  }

  @Test
  void kubernetesModeDiscoversMembersThroughTheHeadlessService() {
    Config config = build("cluster.kubernetes.serviceDns=satellite-hazelcast.prod.svc.cluster.local");
    var join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("satellite-hazelcast.prod.svc.cluster.local");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertVertxStructures(config);
  }

  @Test
  void analyticsMapsHaveOneSynchronousBackupAndTheCountersMergePolicyWhateverFileIsUsed() throws Exception {
    for (Config config : List.of(build(), build("cluster.kubernetes.serviceDns=satellite-hazelcast.prod.svc.cluster.local"))) {
      com.hazelcast.config.MapConfig map = config.getMapConfig("satellite.analytics.counts");
      assertThat(map.getBackupCount()).isEqualTo(1);
      assertThat(map.getAsyncBackupCount()).isZero();
      assertThat(map.getInMemoryFormat()).isEqualTo(com.hazelcast.config.InMemoryFormat.OBJECT);
      assertThat(map.getMergePolicyConfig().getPolicy())
          .isEqualTo("dev.satellite.services.analytics.CounterMergePolicy");
      assertThat(com.hazelcast.spi.merge.SplitBrainMergePolicy.class
          .isAssignableFrom(Class.forName(map.getMergePolicyConfig().getPolicy()))).isTrue();
    }
    assertVertxStructures(build());
  }

  /**
   * The node reads the built-in files without Hazelcast's schema check (a quarter of a second of every clustered
   * start): this is where they get it. The control line shows the check is live here: an unknown key is refused.
   */
  @Test
  void theBuiltInFilesPassHazelcastsSchemaCheck() throws IOException {
    assertThat(System.getProperty(HazelcastConfigs.SCHEMA_VALIDATION)).isNull();
    for (String resource : List.of(HazelcastConfigs.LOCAL, HazelcastConfigs.KUBERNETES)) {
      String text;
      try (InputStream in = HazelcastConfigs.class.getClassLoader().getResourceAsStream(resource)) {
        assertThat(in).as(resource).isNotNull();
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(new ClasspathYamlConfig(resource).getNetworkConfig().getPort()).isEqualTo(5701);
      String misspelt = text.replace("    port:\n", "    prot:\n");
      assertThat(misspelt).as(resource).isNotEqualTo(text);
      assertThatThrownBy(() -> new InMemoryYamlConfig(misspelt)).as(resource)
          .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("prot");
    }
  }

  /** Reading a built-in file turns the schema check off for that read only: a file the user names is still checked. */
  @Test
  void aFileTheUserNamesIsCheckedAgainstTheSchemaAfterTheBuiltInWasRead(@TempDir Path dir) throws IOException {
    assertThat(build().getClusterName()).isNotBlank(); // the built-in file, read unchecked
    assertThat(System.getProperty(HazelcastConfigs.SCHEMA_VALIDATION)).isNull();
    Path file = dir.resolve("hazelcast.yaml");
    Files.writeString(file, "hazelcast:\n  network:\n    prot:\n      port: 5801\n");
    assertThatThrownBy(() -> build("cluster.hazelcastConfig=" + file)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).containsExactly(
            "cluster.hazelcastConfig: " + file + ": hazelcast.network: extraneous key [prot] is not permitted"));
  }

  /** Hazelcast's message for several violations only counts them: each is a line of its own, saying where it is. */
  @Test
  void everyKeyTheSchemaRefusesIsALineOfItsOwn(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("hazelcast.yaml");
    Files.writeString(file, "hazelcast:\n  network:\n    port:\n      port: -5\n  mapp:\n    x: 1\n");
    assertThatThrownBy(() -> build("cluster.hazelcastConfig=" + file)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "cluster.hazelcastConfig: " + file + ": hazelcast: extraneous key [mapp] is not permitted",
            "cluster.hazelcastConfig: " + file + ": hazelcast.network.port.port: -5 is not greater or equal to 0"));
  }
}
