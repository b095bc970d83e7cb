package dev.satellite.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The judgement of ticks, driven by hand: a clock moved in steps, ticks "heard" and checks made as the timer would
 * (every 100 ms), no timer running.
 */
class NodeTicksTest {

  private static final Duration TICK = Duration.ofMillis(100);
  private static final Duration EJECT_AFTER = Duration.ofMillis(600);

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Set<String> peers = new HashSet<>(Set.of("a", "b", "c"));
  private final List<String> lost = new ArrayList<>();
  private final NodeTicks ticks = new NodeTicks(vertx, "a", () -> peers, node -> true, TICK, EJECT_AFTER, now::get,
      (node, reason, detail) -> lost.add(node + " " + reason.label()));

  @AfterEach
  void close() {
    vertx.close();
  }

  /** {@code ms} of time in steps of one tick, with a check at each; {@code ticking} peers are heard at each step. */
  private void run(long ms, String... ticking) {
    for (long t = 0; t < ms; t += TICK.toMillis()) {
      now.addAndGet(TICK.toNanos());
      for (String node : ticking) {
        ticks.heard(node);
      }
      ticks.check();
    }
  }

  @Test
  void aNodeThatStopsTickingIsLostOnceItsSilenceExceedsTheLimitAndNotBefore() {
    run(2000, "b", "c");
    assertThat(lost).isEmpty();
    run(600, "c"); // b falls silent: 600 ms is the limit, not past it
    assertThat(lost).isEmpty();
    run(100, "c");
    assertThat(lost).containsExactly("b silent");
    run(300, "c");
    assertThat(lost).as("reported at each check while it stays silent").hasSize(4).allMatch(l -> l.equals("b silent"));
    lost.clear();
    run(1000, "b", "c");
    assertThat(lost).as("ticking again").isEmpty();
  }

  @Test
  void aNodeThatJustBeganToServeHasTheJoinAllowanceForItsFirstTickAndOneThatLeftIsForgotten() {
    run(1000, "b", "c");
    peers.add("d"); // joined: no tick heard from it yet; the first check after it joined starts its allowance
    run(3100, "b", "c"); // its allowance starts at the first check: 3000 ms of silence, 5 x 600 ms, not past it
    assertThat(lost).as("5 x 600 ms for a first tick: a fresh JVM opening its connections").isEmpty();
    run(100, "b", "c");
    assertThat(lost).containsExactly("d silent");
    lost.clear();
    peers.remove("d");
    run(1000, "b", "c");
    assertThat(lost).isEmpty();
  }

  @Test
  void aPeerIsHeardFromOnlyOnceItTicksAfterItBeganToServeAndNotAfterItLeft() {
    run(1000, "b", "c");
    assertThat(ticks.heardFrom("b")).isTrue();
    peers.add("d");
    ticks.heard("x"); // not a peer: a tick from it proves nothing about a later one of that name
    run(500, "b", "c");
    assertThat(ticks.heardFrom("d")).as("serving, never ticked").isFalse();
    run(100, "b", "c", "d");
    assertThat(ticks.heardFrom("d")).isTrue();
    peers.remove("d");
    run(100, "b", "c");
    assertThat(ticks.heardFrom("d")).as("left").isFalse();
    peers.add("d"); // a new process under the same name starts unproven
    run(100, "b", "c");
    assertThat(ticks.heardFrom("d")).isFalse();
  }

  @Test
  void oneTickEndsTheJoinAllowance() {
    run(1000, "b", "c");
    peers.add("d");
    run(2000, "b", "c");
    run(100, "b", "c", "d"); // its first tick, late but inside the allowance
    run(600, "b", "c");
    assertThat(lost).isEmpty();
    run(100, "b", "c");
    assertThat(lost).as("from its first tick on, the ordinary limit").containsExactly("d silent");
  }

  @Test
  void aNodeThatLeavesAndComesBackHasTheJoinAllowanceAgain() {
    run(1000, "b", "c", "d");
    peers.remove("d");
    run(200, "b", "c");
    peers.add("d"); // a new process under the same name
    run(3100, "b", "c");
    assertThat(lost).isEmpty();
    run(100, "b", "c");
    assertThat(lost).containsExactly("d silent");
  }

  @Test
  void timeThisNodeDidNotRunIsNotHeldAgainstTheOthers() {
    run(1000, "b", "c");
    now.addAndGet(Duration.ofSeconds(3).toNanos()); // this process was stopped: nothing could be heard
    ticks.check();
    assertThat(lost).isEmpty();
    run(300, "b", "c");
    assertThat(lost).isEmpty();
    run(700, "c"); // a real silence after the pause is still seen
    assertThat(lost).containsExactly("b silent");
  }

  @Test
  void aTickThatCannotBeWrittenLosesItsNodeAtOnceButNoHandlerDoesNot() {
    ticks.unwritten("b", new ReplyException(ReplyFailure.NO_HANDLERS, "no handlers for satellite.node.b.tick"));
    assertThat(lost).as("a node still starting has no tick consumer yet").isEmpty();
    ticks.unwritten("b", new ConnectException("Connection refused"));
    assertThat(lost).containsExactly("b unreachable");
  }

  @Test
  void ticksFromThisNodeItselfOrFromStrangersAreIgnored() {
    ticks.heard("a");
    ticks.heard("stranger");
    run(700, "b", "c");
    assertThat(lost).isEmpty();
  }
}
