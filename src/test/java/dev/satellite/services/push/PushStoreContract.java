package dev.satellite.services.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PushStore} does, the in-memory and the Hazelcast one alike: sequences from 0 under one epoch, and
 * reads that say where a history starts and ends (what resume and reset are decided from). Histories hold 5 messages.
 */
abstract class PushStoreContract {

  static final int CAPACITY = 5;
  private Vertx vertx;
  Context context;
  PushStore store;
  private final String topic = "t" + UUID.randomUUID().toString().substring(0, 8);

  abstract PushStore store(Vertx vertx);

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    store = store(vertx);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private List<EventId> append(int n) throws Exception {
    List<EventId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(await(store.append(topic, Messages.text("m" + i), context)));
    }
    return ids;
  }

  @Test
  void appendsAreNumberedFromZeroUnderOneEpoch() throws Exception {
    List<EventId> ids = append(3);
    assertThat(ids).extracting(EventId::sequence).containsExactly(0L, 1L, 2L);
    assertThat(ids).extracting(EventId::epoch).containsOnly(ids.get(0).epoch());
    PushStore.Batch all = await(store.read(topic, 0, 100, context));
    assertThat(all.epoch()).isEqualTo(ids.get(0).epoch());
    assertThat(all.first()).isZero();
    assertThat(all.next()).isEqualTo(3);
    assertThat(all.messages()).containsExactly("tm0", "tm1", "tm2");
    assertThat(await(store.read(topic, 1, 1, context)).messages()).containsExactly("tm1");
  }

  @Test
  void aReadFromBeforeTheOldestKeptMessageStartsAtTheOldestAndSaysSo() throws Exception {
    append(8); // 0..2 fell out
    PushStore.Batch b = await(store.read(topic, 1, 100, context));
    assertThat(b.first()).isEqualTo(3);
    assertThat(b.next()).isEqualTo(8);
    assertThat(b.messages()).containsExactly("tm3", "tm4", "tm5", "tm6", "tm7");
  }

  @Test
  void aReadPastTheNewestIsEmptyAndGivesTheNextSequence() throws Exception {
    append(4);
    PushStore.Batch end = await(store.read(topic, Long.MAX_VALUE, 100, context));
    assertThat(end.messages()).isEmpty();
    assertThat(end.first()).isEqualTo(4);
    assertThat(end.next()).isEqualTo(4);
    assertThat(await(store.read(topic, 9, 100, context)).next()).isEqualTo(4);
    // a position known from an earlier batch: the same answer
    PushStore.Batch on = await(store.readOn(topic, 4, 100, context));
    assertThat(on.messages()).isEmpty();
    assertThat(on.next()).isEqualTo(4);
    assertThat(await(store.readOn(topic, 2, 100, context)).messages()).containsExactly("tm2", "tm3");
  }

  @Test
  void aTopicNeverPublishedHasAnEpochAlreadyAndStartsAtZero() throws Exception {
    PushStore.Batch b = await(store.read(topic, Long.MAX_VALUE, 10, context));
    assertThat(b.epoch()).isNotBlank();
    assertThat(b.next()).isZero();
    assertThat(await(store.append(topic, Messages.text("x"), context))).isEqualTo(new EventId(b.epoch(), 0));
  }
}
