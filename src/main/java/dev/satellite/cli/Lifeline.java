package dev.satellite.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code run --lifeline stdin}: the node watches its standard input on a daemon thread and, at end of file — the
 * process that started it closed the pipe, or died, even by SIGKILL, since the kernel then closes its end — halts at
 * once with exit 1 (no drain: whoever wanted the node is gone). The chaos runner starts its nodes this way, so none
 * outlives it. A node started with {@code --lifeline stdin} and no pipe on stdin (a terminal's Ctrl-D, /dev/null)
 * halts just the same.
 *
 * <p>Thread-safe: one watcher thread per call.
 */
final class Lifeline {

  static final String STDIN = "stdin";

  private Lifeline() {
  }

  static void watch(InputStream in, Runnable onBroken) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[256];
      try {
        while (in.read(buf) >= 0) {
          // anything written is ignored: only the end of the pipe means something
        }
      } catch (IOException e) {
        // a broken pipe is an end too
      }
      onBroken.run();
    }, "satellite-lifeline");
    t.setDaemon(true);
    t.start();
  }
}
