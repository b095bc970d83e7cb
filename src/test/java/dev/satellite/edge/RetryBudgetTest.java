package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

  private void seconds(long s) {
    nanos.addAndGet(s * 1_000_000_000L);
  }

  @Test
  void retriesAreCappedAtTheRatioOfRequestsPlusTheFloor() {
    RetryBudget budget = new RetryBudget(0.2, 1, nanos::get);
    for (int i = 0; i < 100; i++) {
      budget.onRequest();
    }
    // 20% of 100 requests + 1 per second over the 10 s window
    assertThat(budget.left()).isEqualTo(30);
    int granted = 0;
    while (budget.tryRetry()) {
      granted++;
    }
    assertThat(granted).isEqualTo(30);
    assertThat(budget.tryRetry()).isFalse();
  }

  @Test
  void theWindowSlidesAndOldRequestsAndRetriesAreForgotten() {
    RetryBudget budget = new RetryBudget(0.5, 0, nanos::get);
    for (int i = 0; i < 10; i++) {
      budget.onRequest();
    }
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.left()).isEqualTo(4);
    seconds(9);
    assertThat(budget.left()).isEqualTo(4); // still inside the 10 s window
    seconds(1);
    assertThat(budget.left()).isZero(); // the requests and the retry slid out
    assertThat(budget.retriesInWindow()).isZero();
    assertThat(budget.tryRetry()).isFalse();
  }

  @Test
  void aQuietRouteStillGetsTheFloor() {
    RetryBudget budget = new RetryBudget(0.2, 2, nanos::get);
    assertThat(budget.left()).isEqualTo(20);
    seconds(100);
    assertThat(budget.left()).isEqualTo(20);
  }
}
