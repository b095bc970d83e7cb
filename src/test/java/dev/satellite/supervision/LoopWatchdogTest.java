package dev.satellite.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopWatchdogTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void reportsALoopSilentLongerThanTheLimitOnce() {
    AtomicLong now = new AtomicLong(0);
    List<String> reports = new ArrayList<>();
    List<Context> loops = List.of(vertx.getOrCreateContext());
    LoopWatchdog watchdog = new LoopWatchdog(loops, Duration.ofSeconds(5), now::get, reports::add);

    now.set(Duration.ofSeconds(4).toNanos());
    assertThat(watchdog.check(now.get())).isFalse();
    now.set(Duration.ofMillis(5001).toNanos());
    assertThat(watchdog.check(now.get())).isTrue();
    assertThat(watchdog.check(now.get())).isTrue();
    assertThat(reports).singleElement().asString().contains("event loop 0 blocked for at least 5001 ms");
  }

  @Test
  void findsOneContextOnEveryEventLoop() throws Exception {
    Vertx four = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(4));
    try {
      LoopWatchdog watchdog = LoopWatchdog.forEventLoops(four, Duration.ofSeconds(5), r -> { });
      assertThat(watchdog.loops()).isEqualTo(4);
      java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.CountDownLatch beats = new java.util.concurrent.CountDownLatch(4);
      watchdog.each(ctx -> ctx.runOnContext(v -> {
        threads.add(Thread.currentThread().getName());
        beats.countDown();
      }));
      assertThat(beats.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(threads).hasSize(4);
    } finally {
      four.close();
    }
  }

  @Test
  void aReallyBlockedLoopIsReported() throws Exception {
    List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    Vertx small = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    try {
      LoopWatchdog watchdog = LoopWatchdog.forEventLoops(small, Duration.ofMillis(200), reports::add);
      watchdog.start();
      java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
      small.runOnContext(v -> {
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < end && reports.isEmpty()) {
          Thread.onSpinWait(); // a wedged loop, on purpose
        }
        reported.countDown();
      });
      assertThat(reported.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      watchdog.stop();
      assertThat(reports).singleElement().asString().contains("blocked for at least");
    } finally {
      small.close();
    }
  }
}
