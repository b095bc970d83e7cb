package dev.satellite.experiment.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowParamTest {

  @Test
  void readsMillisecondsSecondsMinutesAndHours() {
    assertThat(WindowParam.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(WindowParam.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(WindowParam.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(WindowParam.parse("2h")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void refusesAnythingElseWithAReason() {
    for (String bad : new String[] {"", "10", "ten", "-1s", "0s", "1.5s", "10 s", "1d"}) {
      assertThatThrownBy(() -> WindowParam.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
    }
  }
}
