package dev.satellite.support;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.HazelcastInstance;

/**
 * Hazelcast member configs for in-JVM tests on loopback, with failure detection and merging sped up, and the way to
 * heal a "split": two clusters of one member that are then told where the other is, which is the merge Hazelcast
 * runs after a network split heals.
 */
public final class LoopbackMembers {

  private LoopbackMembers() {
  }

  /** A member of {@code cluster} on {@code port}, finding the members on {@code peers}. */
  public static Config config(String cluster, int port, int... peers) {
    Config c = new Config().setClusterName(cluster);
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.merge.first.run.delay.seconds", "1");
    c.setProperty("hazelcast.merge.next.run.delay.seconds", "1");
    c.setProperty("hazelcast.partition.count", "11");
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1"); // a crashed member is removed within 3 s
    c.setProperty("hazelcast.max.no.heartbeat.seconds", "3");
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.getMetricsConfig().setEnabled(false);
    c.getNetworkConfig().setPort(port).setPortAutoIncrement(false).getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = c.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
    for (int p : peers) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + p);
    }
    return c;
  }

  /**
   * Heals the split between the one-member clusters of {@code c1} (on {@code p1}) and {@code c2} (on {@code p2}): each
   * learns where the other is; returns once both see two members (or after 30 s: the caller checks).
   */
  public static void heal(Config c1, int p1, HazelcastInstance one, Config c2, int p2, HazelcastInstance two)
      throws InterruptedException {
    c1.getNetworkConfig().getJoin().getTcpIpConfig().addMember("127.0.0.1:" + p2);
    c2.getNetworkConfig().getJoin().getTcpIpConfig().addMember("127.0.0.1:" + p1);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while ((one.getCluster().getMembers().size() < 2 || two.getCluster().getMembers().size() < 2)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
