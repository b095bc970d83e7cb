package dev.satellite.cluster;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.FileSystemYamlConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.internal.config.SchemaViolationConfigurationException;
import dev.satellite.config.ConfigException;
import dev.satellite.config.SatelliteConfig;
import io.github.bucket4j.grid.hazelcast.HazelcastProxyManager;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Builds the Hazelcast config of a clustered node: the configured file, or the built-in
 * {@code conf/hazelcast.yaml} (one machine: loopback, TCP-IP join with port auto-increment) or
 * {@code conf/hazelcast-kubernetes.yaml} (DNS discovery through a headless service) carried in the jar —
 * both keep the maps and multimap the clustered event bus needs. On top of it the node sets the cluster
 * name, the service DNS name, and failure detection tuned for crash-fast: heartbeats every second, a
 * silent member removed after {@code maxNoHeartbeat}, split clusters merging after {@code mergeDelay}
 * rather than Hazelcast's five minutes, and no phone-home. How members find each other and join (the waits of the
 * join) stays with the file, since it depends on the discovery.
 *
 * <p>Thread-safe: stateless.
 */
public final class HazelcastConfigs {

  static final String LOCAL = "conf/hazelcast.yaml";
  static final String KUBERNETES = "conf/hazelcast-kubernetes.yaml";
  /** First Hazelcast serializer type id given to Bucket4j's types (Satellite registers no others). */
  static final int BUCKET4J_SERIALIZER_BASE = 10_000;
  /** The member attribute vertx-hazelcast takes the Vert.x node id from. */
  static final String VERTX_NODE_ID = "__vertx.nodeId";
  static final String ANALYTICS_MAPS = "satellite.analytics.*";
  static final String IDEMPOTENCY_KEYS = "satellite.idempotency.*";
  static final String ANALYTICS_MERGE_POLICY = "dev.satellite.services.analytics.CounterMergePolicy";
  /** The push topics' histories (see {@code services.push.HazelcastPushStore}). */
  static final String PUSH_RINGBUFFERS = "satellite.push.*";
  /** The push topics' epochs, and how they merge after a split (named by class: the services sit above this layer). */
  static final String PUSH_EPOCHS = "satellite.push.epochs";
  static final String PUSH_EPOCH_MERGE_POLICY = "dev.satellite.services.push.EpochMergePolicy";

  /** Hazelcast's switch for checking a YAML config against its schema (a system property, default true). */
  static final String SCHEMA_VALIDATION = "hazelcast.config.schema.validation.enabled";
  /** Held while a config file is read, so no read sees another's setting of {@link #SCHEMA_VALIDATION}. */
  private static final Object READS = new Object();

  private HazelcastConfigs() {
  }

  public static Config build(SatelliteConfig.Cluster cluster) {
    return build(cluster, SatelliteConfig.Push.DEFAULTS.historySize());
  }

  /**
   * @param pushHistory capacity of the push topics' ringbuffers ({@code satellite.push.*}: one synchronous backup,
   *                    no asynchronous one, so an acknowledged message survives the loss of any one member)
   */
  public static Config build(SatelliteConfig.Cluster cluster, int pushHistory) {
    boolean kubernetes = !cluster.kubernetesServiceDns().isEmpty();
    Config config = cluster.hazelcastConfig().map(HazelcastConfigs::load)
        .orElseGet(() -> builtIn(kubernetes ? KUBERNETES : LOCAL));
    config.setClusterName(cluster.name());
    // vertx-hazelcast reads the Vert.x node id from this member attribute when handed a ready member
    config.getMemberAttributeConfig().setAttribute(VERTX_NODE_ID, UUID.randomUUID().toString());
    if (kubernetes && config.getNetworkConfig().getJoin().getKubernetesConfig().isEnabled()) {
      config.getNetworkConfig().getJoin().getKubernetesConfig().setProperty("service-dns", cluster.kubernetesServiceDns());
    }
    // the entry processors that update shared rate-limit buckets travel between members
    HazelcastProxyManager.addCustomSerializers(config.getSerializationConfig(), BUCKET4J_SERIALIZER_BASE);
    analyticsMaps(config);
    pushStructures(config, pushHistory);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(cluster.heartbeat().toSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(cluster.maxNoHeartbeat().toSeconds()));
    config.setProperty("hazelcast.merge.first.run.delay.seconds", Long.toString(cluster.mergeDelay().toSeconds()));
    config.setProperty("hazelcast.merge.next.run.delay.seconds", Long.toString(cluster.mergeDelay().toSeconds()));
    // a small mesh needs far fewer than Hazelcast's 271 partitions; fewer means faster migrations on join
    config.setProperty("hazelcast.partition.count", "71");
    // how a member joins (how long it looks for others, how long a master batches joiners) depends on how members
    // are found, so it is set in the file, next to the discovery it goes with: see conf/hazelcast*.yaml
    // Hazelcast's own health monitor and metrics (with JMX beans) are not used: Satellite exports its own meters
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.getMetricsConfig().setEnabled(false);
    // a blocked cluster operation must not outlive the failure detector by much
    config.setProperty("hazelcast.operation.call.timeout.millis", Long.toString(cluster.maxNoHeartbeat().toMillis() * 2));
    return config;
  }

  /**
   * The analytics counts ({@code satellite.analytics.*}): one synchronous backup and no asynchronous one, so an
   * acknowledged count survives the loss of any one member; after a split, copies merged by the counters' own policy
   * (it keeps both sides' increments; named by class, as the services sit above this layer); and the requests'
   * idempotency keys ({@code satellite.idempotency.*}), with the same backups.
   */
  public static void analyticsMaps(Config config) {
    // OBJECT: an entry processor works on the stored counter itself, not on a copy deserialized and serialized again
    // for every update (on the owner and on the backup)
    MapConfig map = new MapConfig(ANALYTICS_MAPS).setBackupCount(1).setAsyncBackupCount(0)
        .setInMemoryFormat(InMemoryFormat.OBJECT);
    map.getMergePolicyConfig().setPolicy(ANALYTICS_MERGE_POLICY);
    config.addMapConfig(map);
    // which body each Idempotency-Key came with: kept as long as the key, on two members (after a split, either
    // side's binding of a key, Hazelcast's default put-if-absent)
    config.addMapConfig(new MapConfig(IDEMPOTENCY_KEYS).setBackupCount(1).setAsyncBackupCount(0));
  }

  /**
   * The push topics: histories ({@code satellite.push.*} ringbuffers of {@code pushHistory} messages, one synchronous
   * backup and no asynchronous one, so an acknowledged message survives the loss of any one member) and their epochs
   * ({@code satellite.push.epochs}: a topic both sides of a split knew gets a new epoch when they merge, so ids from
   * before turn into explicit resets; OBJECT, as the policy answers the epoch itself).
   */
  public static void pushStructures(Config config, int pushHistory) {
    config.addRingBufferConfig(new RingbufferConfig(PUSH_RINGBUFFERS).setCapacity(pushHistory).setBackupCount(1)
        .setAsyncBackupCount(0));
    MapConfig epochs = new MapConfig(PUSH_EPOCHS).setBackupCount(1).setAsyncBackupCount(0)
        .setInMemoryFormat(InMemoryFormat.OBJECT);
    epochs.getMergePolicyConfig().setPolicy(PUSH_EPOCH_MERGE_POLICY);
    config.addMapConfig(epochs);
  }

  /**
   * A config file the jar carries, read without checking it against Hazelcast's JSON schema: that check costs a
   * quarter of a second on every clustered start (bench/RESULTS.md, 2026-12-04), and these files are checked once, at
   * build time ({@code HazelcastConfigsTest}). Hazelcast reads the switch from a system property only, so it is
   * turned off for this read alone, under the lock every config read here takes; a file the user names is checked.
   */
  static Config builtIn(String resource) {
    synchronized (READS) {
      String before = System.getProperty(SCHEMA_VALIDATION);
      System.setProperty(SCHEMA_VALIDATION, "false");
      try {
        return new ClasspathYamlConfig(resource);
      } finally {
        if (before == null) {
          System.clearProperty(SCHEMA_VALIDATION);
        } else {
          System.setProperty(SCHEMA_VALIDATION, before);
        }
      }
    }
  }

  private static Config load(Path path) {
    String name = path.getFileName().toString();
    synchronized (READS) {
      try {
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
          return new FileSystemYamlConfig(path.toFile());
        }
        return new FileSystemXmlConfig(path.toFile());
      } catch (FileNotFoundException e) {
        throw ConfigException.of("cluster.hazelcastConfig", "no such file: " + path);
      } catch (SchemaViolationConfigurationException e) {
        List<String> problems = new ArrayList<>();
        violations(e, path, problems);
        throw new ConfigException(problems);
      } catch (RuntimeException e) {
        throw ConfigException.of("cluster.hazelcastConfig", "not a valid Hazelcast config: " + e.getMessage()
            + rootCause(e));
      }
    }
  }

  /**
   * What the parser under Hazelcast said, on one line ({@code ": while parsing a flow node in reader, line 3, column
   * 1: expected …"}): Hazelcast's own message for a YAML syntax error is only "Invalid YAML configuration". The
   * parser's excerpt of the file (indented lines, and the line with the caret under the column) is left out.
   */
  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root == e || root.getMessage() == null) {
      return "";
    }
    String said = root.getMessage().lines().filter(l -> !l.startsWith("    ") && !l.isBlank() && !l.strip().equals("^"))
        .map(String::strip).collect(Collectors.joining(" "));
    return said.isEmpty() || e.getMessage() != null && e.getMessage().contains(said) ? "" : ": " + said;
  }

  /**
   * One line per key Hazelcast's schema refused, with where it is in the file ({@code hazelcast.network.port}):
   * Hazelcast's own message for several says only how many there are.
   */
  private static void violations(SchemaViolationConfigurationException e, Path path, List<String> into) {
    if (!e.getErrors().isEmpty()) {
      e.getErrors().forEach(nested -> violations(nested, path, into));
      return;
    }
    String where = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().replaceFirst("^#/?", "").replace('/', '.');
    into.add("cluster.hazelcastConfig: " + path + (where.isEmpty() ? "" : ": " + where) + ": " + e.getMessage());
  }
}
