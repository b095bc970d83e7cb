package dev.satellite.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out free TCP ports for nodes started on this machine, each port at most once.
 *
 * <p>A port is found by binding port 0 and closing the socket again, so the kernel is free to hand the same port out
 * on the next call — and does: a node once got the same port for its public and admin listeners and exited with a
 * config error. Remembering every port given out (the node binds it only a second or so later, when its JVM is up)
 * rules that out within one owner; a port taken by another process in between is still possible, and the node then
 * fails to bind with a clear error.
 *
 * <p>Thread-safe.
 */
public final class FreePorts {

  /** Where candidate ports come from; the kernel's ephemeral range in production. */
  @FunctionalInterface
  public interface Source {
    int next() throws IOException;
  }

  private static final int ATTEMPTS = 1_000;

  private final Source source;
  private final Set<Integer> handedOut = new HashSet<>();

  /** Ports the kernel reports free. */
  public FreePorts() {
    this(FreePorts::ephemeral);
  }

  public FreePorts(Source source) {
    this.source = source;
  }

  /** A port that was free a moment ago and that this object has not handed out before. */
  public synchronized int next() {
    try {
      for (int i = 0; i < ATTEMPTS; i++) {
        int port = source.next();
        if (handedOut.add(port)) {
          return port;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("no free port: " + e.getMessage(), e);
    }
    throw new IllegalStateException("no port not handed out already after " + ATTEMPTS + " tries");
  }

  private static int ephemeral() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
