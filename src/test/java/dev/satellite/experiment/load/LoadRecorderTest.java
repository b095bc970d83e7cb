package dev.satellite.experiment.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadRecorderTest {

  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;
  private static final long START = 42 * S;

  private final LoadRecorder recorder = new LoadRecorder(START);

  /** Sends one request intended at {@code atMs} after the start and ends it {@code latencyMs} later. */
  private void request(long atMs, long latencyMs, Outcome outcome) {
    long intended = START + atMs * MS;
    recorder.sent(intended);
    recorder.ended(intended, intended + latencyMs * MS, outcome);
  }

  @Test
  void requestsLandInTheSecondTheyWereIntendedInEvenWhenTheyEndLater() {
    request(900, 400, Outcome.ofStatus(200)); // intended in second 0, answered in second 1
    request(1_100, 10, Outcome.ofStatus(503));

    JsonArray timeline = recorder.timeline();

    assertThat(timeline).hasSize(2);
    JsonObject first = timeline.getJsonObject(0);
    assertThat(first.getInteger("t")).isZero();
    assertThat(first.getLong("sent")).isEqualTo(1);
    assertThat(first.getLong("ok")).isEqualTo(1);
    assertThat(first.getDouble("p50")).isCloseTo(400, within(4.0));
    JsonObject second = timeline.getJsonObject(1);
    assertThat(second.getLong("errors")).isEqualTo(1);
    assertThat(second.getJsonObject("byStatus").getLong("503")).isEqualTo(1);
    assertThat(second.getDouble("errorRate")).isEqualTo(1.0);
  }

  @Test
  void timelineEntriesHaveTheJournalKeys() {
    request(0, 5, Outcome.ofStatus(200));

    assertThat(recorder.timeline().getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("t", "sent", "ok", "errors", "byStatus", "throughput", "errorRate", "p50", "p99");
  }

  @Test
  void aSlidingWindowCoversOnlyTheLastSecondsBeforeNow() {
    for (int second = 0; second < 10; second++) {
      for (int i = 0; i < 10; i++) {
        request(second * 1_000L + i * 100L, second < 7 ? 1 : 100, second < 7 ? Outcome.ofStatus(200) : Outcome.TIMEOUT);
      }
    }
    long now = START + 10 * S - 1; // the end of second 9

    LoadWindow last3 = recorder.window(now, Duration.ofSeconds(3));

    assertThat(last3.sent()).isEqualTo(30);
    assertThat(last3.ok()).isZero();
    assertThat(last3.errors()).isEqualTo(30);
    assertThat(last3.byStatus()).containsExactlyEntriesOf(Map.of("timeout", 30L));
    assertThat(last3.errorRate()).isEqualTo(1.0);
    assertThat(last3.p50Ms()).isCloseTo(100, within(1.0));

    LoadWindow last5 = recorder.window(now, Duration.ofSeconds(5));
    assertThat(last5.ok()).isEqualTo(20);
    assertThat(last5.errorRate()).isCloseTo(0.6, within(1e-9));
    assertThat(last5.throughputPerSecond()).isCloseTo(4.0, within(0.01));
  }

  @Test
  void theCurrentPartialSecondCountsOnlyTheTimeItHasHad() {
    for (int i = 0; i < 5; i++) {
      request(1_000 + i * 100L, 1, Outcome.ofStatus(200));
    }

    LoadWindow lastSecond = recorder.window(START + 1_500 * MS, Duration.ofSeconds(1));

    assertThat(lastSecond.ok()).isEqualTo(5);
    assertThat(lastSecond.throughputPerSecond()).isCloseTo(10.0, within(0.01)); // 5 in half a second
  }

  @Test
  void aSubSecondWindowStillCoversTheCurrentSecond() {
    request(2_100, 1, Outcome.ofStatus(200));

    assertThat(recorder.window(START + 2_200 * MS, Duration.ofMillis(500)).ok()).isEqualTo(1);
  }

  @Test
  void theTotalCoversTheWholeRunAndStopsAtItsEnd() {
    for (int i = 0; i < 100; i++) {
      request(i * 20L, i == 99 ? 250 : 2, Outcome.ofStatus(i % 10 == 0 ? 500 : 200));
    }
    recorder.end(START + 2 * S);

    LoadWindow total = recorder.total(START + 60 * S); // long after the end

    assertThat(total.sent()).isEqualTo(100);
    assertThat(total.ok()).isEqualTo(90);
    assertThat(total.errors()).isEqualTo(10);
    assertThat(total.byStatus()).containsEntry("200", 90L).containsEntry("500", 10L);
    assertThat(total.throughputPerSecond()).isCloseTo(45.0, within(0.01));
    assertThat(total.maxMs()).isCloseTo(250, within(1.0));
    assertThat(total.p50Ms()).isCloseTo(2, within(0.01));
    assertThat(recorder.elapsedNanos(START + 60 * S)).isEqualTo(2 * S);
  }

  @Test
  void overflowIsAnErrorWithoutALatency() {
    request(0, 3, Outcome.ofStatus(200));
    long intended = START + 10 * MS;
    recorder.sent(intended);
    recorder.ended(intended, intended, Outcome.OVERFLOW);

    LoadWindow total = recorder.total(START + S);

    assertThat(total.errors()).isEqualTo(1);
    assertThat(total.byStatus()).containsEntry("overflow", 1L);
    assertThat(total.p50Ms()).isCloseTo(3, within(0.01));
  }

  @Test
  void nothingRecordedReadsAsZeros() {
    assertThat(recorder.total(START + S)).isEqualTo(LoadWindow.EMPTY);
    assertThat(recorder.window(START + S, Duration.ofSeconds(10))).isEqualTo(LoadWindow.EMPTY);
    assertThat(recorder.timeline()).isEmpty();
  }
}
