package dev.satellite.experiment.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OutcomeTest {

  @Test
  void onlyTwoHundredsAreOk() {
    assertThat(Outcome.ofStatus(200)).isEqualTo(new Outcome("200", true));
    assertThat(Outcome.ofStatus(204).ok()).isTrue();
    assertThat(Outcome.ofStatus(302)).isEqualTo(new Outcome("302", false));
    assertThat(Outcome.ofStatus(429).ok()).isFalse();
    assertThat(Outcome.ofStatus(503)).isEqualTo(new Outcome("503", false));
  }

  @Test
  void aTimeoutIsCountedAsTimeoutEvenWhenWrapped() {
    assertThat(Outcome.ofFailure(new TimeoutException("idle"))).isEqualTo(Outcome.TIMEOUT);
    assertThat(Outcome.ofFailure(new VertxException(new TimeoutException("idle")))).isEqualTo(Outcome.TIMEOUT);
  }

  @Test
  void aRefusedOrTimedOutConnectionIsCountedAsConnect() {
    assertThat(Outcome.ofFailure(new ConnectException("Connection refused"))).isEqualTo(Outcome.CONNECT);
    assertThat(Outcome.ofFailure(new ConnectTimeoutException("connection timed out"))).isEqualTo(Outcome.CONNECT);
  }

  @Test
  void anyOtherFailureIsCountedAsIo() {
    assertThat(Outcome.ofFailure(new HttpClosedException("closed"))).isEqualTo(Outcome.IO);
    assertThat(Outcome.ofFailure(new IOException("reset by peer"))).isEqualTo(Outcome.IO);
    assertThat(Outcome.ofFailure(new IllegalStateException())).isEqualTo(Outcome.IO);
  }
}
