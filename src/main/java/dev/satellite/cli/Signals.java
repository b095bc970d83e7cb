package dev.satellite.cli;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Handles SIGTERM and SIGINT ourselves (a JVM shutdown hook would make the process exit 143 and ignore a
 * second signal while it runs). The handler runs on the JVM's signal dispatch thread and must not block.
 */
final class Signals {

  private Signals() {
  }

  static void onTermOrInt(Consumer<String> handler) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> handler.accept("SIG" + signal.getName()));
    }
  }
}
