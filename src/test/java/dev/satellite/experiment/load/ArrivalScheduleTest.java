package dev.satellite.experiment.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

  private static final long MS = 1_000_000L;
  private static final long START = 5_000 * MS; // an arbitrary ticker origin

  @Test
  void theFirstArrivalIsDueAtTheStartAndNothingBefore() {
    ArrivalSchedule schedule = new ArrivalSchedule(START, 100, 1_000 * MS);

    assertThat(schedule.due(START - 1)).isZero();
    assertThat(schedule.due(START)).isEqualTo(1);
  }

  @Test
  void arrivalsFallDueAtTheRateWhateverTheTicksLookLike() {
    ArrivalSchedule schedule = new ArrivalSchedule(START, 200, 10_000 * MS); // one every 5 ms

    assertThat(schedule.due(START + 9 * MS)).isEqualTo(2);   // at 0 and 5 ms
    assertThat(schedule.due(START + 10 * MS)).isEqualTo(3);  // and 10 ms
    assertThat(schedule.due(START + 1_000 * MS)).isEqualTo(201);
  }

  @Test
  void arrivalsTakenAreNotDueAgainButALateTickCatchesUpOnAllMissedOnes() {
    ArrivalSchedule schedule = new ArrivalSchedule(START, 200, 10_000 * MS);
    int first = schedule.due(START + 10 * MS);
    for (int i = 0; i < first; i++) {
      schedule.take();
    }

    assertThat(schedule.due(START + 10 * MS)).isZero();
    // the sender stalled for half a second: every arrival of that half second is due at once
    assertThat(schedule.due(START + 510 * MS)).isEqualTo(100);
  }

  @Test
  void eachArrivalKeepsItsIntendedTimeEvenWhenTakenLate() {
    ArrivalSchedule schedule = new ArrivalSchedule(START, 200, 10_000 * MS);

    schedule.due(START + 500 * MS);
    assertThat(schedule.take()).isEqualTo(START);
    assertThat(schedule.take()).isEqualTo(START + 5 * MS);
    assertThat(schedule.take()).isEqualTo(START + 10 * MS);
  }

  @Test
  void theScheduleHoldsRateTimesDurationArrivalsAndThenStops() {
    ArrivalSchedule schedule = new ArrivalSchedule(START, 200, 2_000 * MS);

    assertThat(schedule.total()).isEqualTo(400);
    assertThat(schedule.due(START + 60_000 * MS)).isEqualTo(400);
    for (int i = 0; i < 400; i++) {
      schedule.take();
    }
    assertThat(schedule.exhausted()).isTrue();
    assertThat(schedule.due(START + 60_000 * MS)).isZero();
    assertThatThrownBy(schedule::take).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFractionalRateSpacesArrivalsEvenly() {
    ArrivalSchedule schedule = new ArrivalSchedule(START, 0.5, 10_000 * MS); // one every 2 s

    assertThat(schedule.total()).isEqualTo(5);
    assertThat(schedule.due(START + 1_999 * MS)).isEqualTo(1);
    assertThat(schedule.due(START + 2_000 * MS)).isEqualTo(2);
  }
}
