package dev.satellite.services.push;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clustered store keeps the store contract on a lone Hazelcast member (loopback, no join), and puts a topic's
 * history and its epoch on one partition, so they are lost together.
 */
class HazelcastPushStoreTest extends PushStoreContract {

  private static HazelcastInstance hazelcast;

  @BeforeAll
  static void member() {
    Config config = new Config().setClusterName("push-store-" + UUID.randomUUID());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    config.addRingBufferConfig(new RingbufferConfig(HazelcastPushStore.RINGBUFFER_PREFIX + "*").setCapacity(CAPACITY));
    hazelcast = Hazelcast.newHazelcastInstance(config);
  }

  @AfterAll
  static void stop() {
    hazelcast.shutdown();
  }

  @Override
  PushStore store(Vertx vertx) {
    return new HazelcastPushStore(hazelcast, CAPACITY);
  }

  @Test
  void aTopicsHistoryAndItsEpochLiveOnOnePartition() {
    var partitions = hazelcast.getPartitionService();
    for (String topic : new String[] {"a", "news", "orders.eu-1"}) {
      var ring = hazelcast.getRingbuffer(HazelcastPushStore.ringbufferName(topic));
      assertThat(partitions.getPartition(ring.getPartitionKey()).getPartitionId())
          .isEqualTo(partitions.getPartition(topic).getPartitionId());
    }
  }
}
