package dev.satellite.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark is not run by the suite, but it must stay runnable: its scripts parse, and the Java peers (raw
 * Vert.x, Vert.x web + bus) answer. The peers in other languages (Go, Node.js, Express) are built and checked by
 * {@code bench/run.sh} itself, which skips a peer it cannot build with a line saying so: the suite needs Java alone.
 */
class BenchPeersTest {

  private static int run(Path workDir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return p.exitValue();
  }

  @Test
  void theBenchScriptsParse() throws Exception {
    for (String script : new String[] {"run.sh", "lib.sh", "startup.sh", "supervision.sh", "cluster.sh", "edge.sh"}) {
      run(Path.of("bench"), "bash", "-n", script);
    }
  }

  private static void answersHello(Process server, int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      for (int i = 0; i < 200; i++) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.body()).isEqualTo("Hello, World!");
          return;
        } catch (java.io.IOException notYet) {
          Thread.sleep(50);
        }
      }
      throw new AssertionError("the peer never answered");
    } finally {
      server.destroyForcibly().waitFor();
    }
  }

  @Test
  void theRawVertxPeerAnswers() throws Exception {
    javaPeerAnswers("dev.satellite.bench.peers.RawVertxServer");
  }

  @Test
  void theVertxWebAndBusPeerAnswers() throws Exception {
    javaPeerAnswers("dev.satellite.bench.peers.VertxWebBusServer");
  }

  private static void javaPeerAnswers(String mainClass) throws Exception {
    int port = TestConfigs.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    answersHello(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), mainClass,
        String.valueOf(port)).start(), port);
  }
}
