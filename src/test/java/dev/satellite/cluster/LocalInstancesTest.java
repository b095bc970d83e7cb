package dev.satellite.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalInstancesTest {

  private final LocalInstances instances = new LocalInstances();

  @Test
  void anInstanceIsFoundOnlyFromTheThreadItRunsOn() throws Exception {
    Thread other = new Thread(() -> { });
    instances.add("hello", "hello#other", other);
    assertThat(instances.onThisThread("hello")).isNull();
    instances.add("hello", "hello#mine", Thread.currentThread());
    assertThat(instances.onThisThread("hello")).isEqualTo("hello#mine");
    assertThat(instances.onThisThread("echo")).isNull();

    AtomicReference<String> seenFromOther = new AtomicReference<>("unset");
    Thread probe = new Thread(() -> seenFromOther.set(instances.onThisThread("hello")));
    probe.start();
    probe.join();
    assertThat(seenFromOther.get()).as("a thread with no instance of its own gets none").isNull();
  }

  @Test
  void aRemovedInstanceGetsNoMoreRequests() {
    instances.add("hello", "hello#1", Thread.currentThread());
    instances.add("hello", "hello#2", Thread.currentThread());
    instances.remove("hello", "hello#1");
    assertThat(instances.onThisThread("hello")).isEqualTo("hello#2");
    instances.remove("hello", "hello#2");
    assertThat(instances.onThisThread("hello")).isNull();
    instances.remove("hello", "hello#2"); // removing twice is harmless
  }

  @Test
  void noneTakesNothing() {
    LocalInstances.NONE.add("hello", "hello#1", Thread.currentThread());
    assertThat(LocalInstances.NONE.onThisThread("hello")).isNull();
  }
}
