package dev.satellite.services.push;

import io.vertx.core.Vertx;

/** The standalone store keeps the store contract. */
class MemoryPushStoreTest extends PushStoreContract {

  @Override
  PushStore store(Vertx vertx) {
    return new MemoryPushStore(CAPACITY);
  }
}
