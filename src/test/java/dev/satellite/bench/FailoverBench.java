package dev.satellite.bench;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Cluster figures from the built jar, two nodes on loopback:
 * <ul>
 *   <li>time for a second node to join (process start to {@code /health/ready} 200, the first node up);</li>
 *   <li>time from {@code kill -9} and from {@code SIGSTOP} of the second node to the last failed {@code /whoami}
 *       on the first (requests one after another, 3 s client timeout, 10 ms apart);</li>
 *   <li>what the frozen node does after {@code SIGCONT}.</li>
 * </ul>
 * Run with {@code bench/cluster.sh}. Arguments: jar path, runs (default 3).
 */
public final class FailoverBench {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

  private FailoverBench() {
  }

  public static void main(String[] args) throws Exception {
    String jar = args.length > 0 ? args[0] : "target/satellite.jar";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (String signal : new String[] {"KILL", "STOP"}) {
      for (int run = 1; run <= runs; run++) {
        String cluster = "bench-" + System.nanoTime();
        Process a = start(jar, "bench-a", cluster, 18181, 19191);
        try {
          await(18181, Duration.ofSeconds(60));
          long t0 = System.nanoTime();
          Process b = start(jar, "bench-b", cluster, 18182, 19192);
          try {
            await(18182, Duration.ofSeconds(60));
            long joinMs = (System.nanoTime() - t0) / 1_000_000;
            long lastFailure = lastFailureAfter(signal, b.pid(), signal.equals("KILL") ? 6 : 10);
            String after = "";
            if (signal.equals("STOP")) {
              new ProcessBuilder("kill", "-CONT", Long.toString(b.pid())).start().waitFor();
              long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
              while (b.isAlive() && System.nanoTime() < until) {
                Thread.sleep(50);
              }
              after = b.isAlive() ? ", after SIGCONT: still running, ready " + (status(18182, "/health/ready") == 200)
                  : ", after SIGCONT: exited " + b.exitValue();
            }
            System.out.printf("%s run %d: second node ready %d ms after start; last failed request %s%s%n", signal, run,
                joinMs, lastFailure < 0 ? "none" : lastFailure + " ms after the signal", after);
          } finally {
            b.destroyForcibly().waitFor();
          }
        } finally {
          a.destroyForcibly().waitFor();
        }
      }
    }
  }

  private static Process start(String jar, String id, String cluster, int http, int admin) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar, "run", "--cluster");
    pb.environment().putAll(Map.of("SATELLITE_NODE_ID", id, "SATELLITE_CLUSTER_NAME", cluster, "SATELLITE_HTTP_HOST", "127.0.0.1",
        "SATELLITE_HTTP_PORT", String.valueOf(http), "SATELLITE_ADMIN_PORT", String.valueOf(admin)));
    return pb.redirectErrorStream(true).redirectOutput(File.createTempFile("bench-" + id, ".log")).start();
  }

  private static void await(int port, Duration timeout) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    while (status(port, "/health/ready") != 200) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("node on " + port + " not ready");
      }
      Thread.sleep(20);
    }
  }

  private static int status(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static long lastFailureAfter(String signal, long pid, int seconds) throws Exception {
    long start = System.nanoTime();
    long signalled = -1;
    long last = -1;
    while (System.nanoTime() - start < seconds * 1_000_000_000L) {
      if (signalled < 0 && System.nanoTime() - start > 1_000_000_000L) {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
        signalled = System.nanoTime();
      }
      if (status(18181, "/whoami") != 200) {
        last = System.nanoTime();
      }
      Thread.sleep(10);
    }
    return last < 0 ? -1 : (last - signalled) / 1_000_000;
  }
}
