package dev.satellite.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void aPortTheKernelHandsOutAgainIsSkipped() {
    // what the kernel did once: the port just closed came back for the next listener of the same node
    Queue<Integer> kernel = new ArrayDeque<>(List.of(40001, 40001, 40002, 40001, 40002, 40003));
    FreePorts ports = new FreePorts(kernel::remove);

    assertThat(List.of(ports.next(), ports.next(), ports.next())).containsExactly(40001, 40002, 40003);
  }

  @Test
  void givesUpWhenEveryCandidateWasHandedOutAlready() {
    FreePorts ports = new FreePorts(() -> 40001);
    ports.next();

    assertThatThrownBy(ports::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("no port");
  }

  @Test
  void aFailingSourceIsReported() {
    FreePorts ports = new FreePorts(() -> {
      throw new IOException("no sockets left");
    });

    assertThatThrownBy(ports::next).isInstanceOf(UncheckedIOException.class).hasMessageContaining("no sockets left");
  }

  @Test
  void kernelPortsAreDistinctAndBindable() throws IOException {
    FreePorts ports = new FreePorts();
    List<Integer> seen = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int p = ports.next();
      try (ServerSocket s = new ServerSocket(p)) {
        seen.add(s.getLocalPort());
      }
    }
    assertThat(seen).doesNotHaveDuplicates().hasSize(200);
  }
}
