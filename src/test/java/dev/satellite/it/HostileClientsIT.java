package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.RawHttp;
import dev.satellite.support.TestConfigs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that hold connections instead of using them, or send what cannot be parsed: a request head that trickles
 * in is cut at {@code edge.headerReadTimeout} with 408, a connection that says nothing likewise; beyond
 * {@code edge.maxConnections} a new connection is answered 503 and closed at once; a body whose chunked framing is
 * broken is answered 400 and closed — while the probes on the admin listener and well-behaved clients are served
 * throughout, and the log gets a line per kind per interval, never a line (let alone a stack trace) per request.
 */
class HostileClientsIT {

  @TempDir
  Path dir;

  private NodeProcess start(String... sets) throws Exception {
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    List<String> args = new ArrayList<>(List.of("run", "--set", "http.host=127.0.0.1", "--set", "http.port=" + http,
        "--set", "admin.port=" + admin));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    NodeProcess node = NodeProcess.start(dir, Map.of(), http, admin, args.toArray(String[]::new));
    node.awaitReady(Duration.ofSeconds(30));
    return node;
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(5000);
    return s;
  }

  @Test
  void requestHeadsThatTrickleInAreCutWith408AndNormalClientsAreServedMeanwhile() throws Exception {
    try (NodeProcess node = start("edge.headerReadTimeout=1s")) {
      List<Socket> slow = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Socket s = connect(node.httpPort);
        s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        slow.add(s);
      }
      Socket silent = connect(node.httpPort); // connects, and never sends a byte
      long t0 = System.nanoTime();
      // keep trickling a header line every 300 ms: every read is activity, which an idle timeout would not cut
      for (int round = 0; round < 5; round++) {
        Thread.sleep(300);
        for (Socket s : slow) {
          try {
            s.getOutputStream().write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
          } catch (IOException closed) {
            // cut already
          }
        }
        assertThat(node.get("/hello").statusCode()).as("a normal client meanwhile").isEqualTo(200);
      }
      for (Socket s : slow) {
        String answer = RawHttp.readAll(s, Duration.ofSeconds(5));
        assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout").contains("application/problem+json")
            .endsWith("<closed>");
        s.close();
      }
      assertThat(RawHttp.readAll(silent, Duration.ofSeconds(5))).startsWith("HTTP/1.1 408").endsWith("<closed>");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("cut at the head timeout, long before the idle timeout")
          .isLessThan(Duration.ofSeconds(10));
      String metrics = node.send(node.adminPort, "/metrics", Map.of()).body();
      assertThat(metrics).contains("satellite_http_client_errors_total{kind=\"slow-request-head\"} 201.0");
      // one line per kind per interval, with a count: never a line (let alone a stack trace) per connection
      assertThat(node.output().lines().filter(l -> l.contains("client error (slow-request-head)")).count())
          .isLessThanOrEqualTo(2);
      assertThat(node.output()).doesNotContain("\tat ");
    }
  }

  @Test
  void beyondMaxConnectionsANewConnectionIsRefusedWith503WhileTheProbesAnswer() throws Exception {
    try (NodeProcess node = start("edge.maxConnections=50")) {
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Socket s = connect(node.httpPort);
        OutputStream out = s.getOutputStream();
        out.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[4096];
        assertThat(new String(buf, 0, s.getInputStream().read(buf), StandardCharsets.ISO_8859_1))
            .startsWith("HTTP/1.1 200"); // answered, and kept alive: the connection stays open
        held.add(s);
      }
      try (Socket over = connect(node.httpPort)) {
        String answer = RawHttp.readAll(over, Duration.ofSeconds(5));
        assertThat(answer).startsWith("HTTP/1.1 503 Service Unavailable").contains("Retry-After: 1")
            .contains("too-many-connections").endsWith("<closed>");
      }
      // Kubernetes asks the admin listener, which the cap does not touch
      assertThat(node.send(node.adminPort, "/health/ready", Map.of()).statusCode()).isEqualTo(200);
      assertThat(node.send(node.adminPort, "/health/live", Map.of()).statusCode()).isEqualTo(200);
      assertThat(node.send(node.adminPort, "/metrics", Map.of()).body())
          .contains("satellite_http_connections 50.0").contains("satellite_http_connections_refused_total 1.0");
      for (Socket s : held) {
        s.close();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      int status = -1;
      while (status != 200 && System.nanoTime() < deadline) {
        try {
          status = node.get("/hello").statusCode();
        } catch (IOException refused) {
          Thread.sleep(50);
        }
      }
      assertThat(status).as("with the connections gone, new ones are served again").isEqualTo(200);
    }
  }

  @Test
  void malformedChunkedBodiesAre400AndClosedAndLoggedOncePerIntervalNotOncePerRequest() throws Exception {
    try (NodeProcess node = start()) {
      long before = node.output().length();
      for (int i = 0; i < 500; i++) {
        String answer = RawHttp.exchange(node.httpPort, "POST /echo HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", Duration.ofSeconds(5));
        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").contains("application/problem+json").endsWith("<closed>");
      }
      assertThat(node.get("/hello").statusCode()).isEqualTo(200);
      String log = node.output().substring((int) before);
      assertThat(log).doesNotContain("\tat ").doesNotContain("ERROR");
      assertThat(log.lines().filter(l -> l.contains("client error")).count()).as(log).isLessThanOrEqualTo(4);
      assertThat(log.length()).as("log bytes for 500 malformed requests").isLessThan(2_000);
      assertThat(node.send(node.adminPort, "/metrics", Map.of()).body())
          .contains("satellite_http_client_errors_total{kind=\"malformed-body\"} 500.0");
    }
  }
}
