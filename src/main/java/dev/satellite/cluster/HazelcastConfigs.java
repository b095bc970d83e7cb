package dev.satellite.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.FileSystemYamlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.satellite.config.ConfigException;
import dev.satellite.config.SatelliteConfig;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.nio.file.Path;

/**
 * Builds the Hazelcast config of a clustered node. With no file configured it starts from vertx-hazelcast's
 * own default (which declares the maps and multimap the clustered event bus needs) and makes it fit one
 * machine: bound to 127.0.0.1, TCP-IP join on 127.0.0.1 with port auto-increment, no multicast, no
 * auto-detection, no phone-home. A configured XML or YAML file is used as it is, apart from the cluster name.
 *
 * <p>Thread-safe: stateless.
 */
public final class HazelcastConfigs {

  static final String LOOPBACK = "127.0.0.1";

  private HazelcastConfigs() {
  }

  public static Config build(SatelliteConfig.Cluster cluster) {
    Config config = cluster.hazelcastConfig().map(HazelcastConfigs::load).orElseGet(HazelcastConfigs::builtIn);
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    return config;
  }

  private static Config builtIn() {
    Config config = new HazelcastClusterManager().loadConfig();
    NetworkConfig network = config.getNetworkConfig();
    network.setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).addInterface(LOOPBACK);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember(LOOPBACK);
    config.setProperty("hazelcast.local.localAddress", LOOPBACK);
    return config;
  }

  private static Config load(Path path) {
    String name = path.getFileName().toString();
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        return new FileSystemYamlConfig(path.toFile());
      }
      return new FileSystemXmlConfig(path.toFile());
    } catch (FileNotFoundException e) {
      throw ConfigException.of("cluster.hazelcastConfig", "no such file: " + path);
    } catch (RuntimeException e) {
      throw ConfigException.of("cluster.hazelcastConfig", "not a valid Hazelcast config: " + e.getMessage());
    }
  }
}
