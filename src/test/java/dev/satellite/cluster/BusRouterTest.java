package dev.satellite.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class BusRouterTest {

  @Test
  void aRequestPrefersTheCallersLoopAndOneToAnyInstanceGoesToTheAddress(Vertx vertx) throws Exception {
    LocalInstances instances = new LocalInstances();
    vertx.eventBus().<Object>localConsumer("hello", m -> m.reply("shared"));
    vertx.eventBus().<Object>localConsumer("hello#mine", m -> m.reply("mine"));
    BusRouter bus = BusRouter.local(vertx, instances);
    Promise<String> answers = Promise.promise();
    vertx.runOnContext(v -> {
      instances.add("hello", "hello#mine", Thread.currentThread()); // an instance on this loop
      bus.<String>request("hello", null, new DeliveryOptions())
          .compose(first -> bus.<String>requestAnyInstance("hello", null, new DeliveryOptions())
              .map(any -> first.body() + " " + any.body()))
          .onComplete(answers);
    });
    assertThat(answers.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isEqualTo("mine shared");
  }
}
