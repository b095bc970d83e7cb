package dev.satellite.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.SupervisorSpec.Strategy;
import org.junit.jupiter.api.Test;

class RestartPlanTest {

  @Test
  void oneForOneRestartsOnlyTheCrashedChildAndOnlyItsCrashedInstance() {
    assertThat(RestartPlan.children(Strategy.ONE_FOR_ONE, 1, 3)).containsExactly(1);
    assertThat(RestartPlan.wholeChild(Strategy.ONE_FOR_ONE)).isFalse();
  }

  @Test
  void oneForAllRestartsEveryChildInStartOrder() {
    assertThat(RestartPlan.children(Strategy.ONE_FOR_ALL, 1, 3)).containsExactly(0, 1, 2);
    assertThat(RestartPlan.wholeChild(Strategy.ONE_FOR_ALL)).isTrue();
  }

  @Test
  void restForOneRestartsTheCrashedChildAndThoseStartedAfterIt() {
    assertThat(RestartPlan.children(Strategy.REST_FOR_ONE, 1, 4)).containsExactly(1, 2, 3);
    assertThat(RestartPlan.children(Strategy.REST_FOR_ONE, 3, 4)).containsExactly(3);
    assertThat(RestartPlan.wholeChild(Strategy.REST_FOR_ONE)).isTrue();
  }
}
