package dev.satellite.bench;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Time from the root supervisor giving up to the process being gone, from the built jar: a crash fault
 * with a huge count plus a request loop drive {@code hello} into a crash loop; the FATAL line's timestamp
 * is compared with the moment {@link Process#onExit()} fires.
 *
 * <p>Run with {@code bench/supervision.sh}. Arguments: jar path, runs (default 5).
 */
public final class GiveUpToExitBench {

  private GiveUpToExitBench() {
  }

  public static void main(String[] args) throws Exception {
    String jar = args.length > 0 ? args[0] : "target/satellite.jar";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
    List<Long> millis = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      File log = File.createTempFile("satellite-exit", ".log");
      ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar, "run", "--set", "http.host=127.0.0.1",
          "--set", "http.port=18080", "--set", "admin.port=19090", "--set", "defaults.breaker.maxFailures=0");
      pb.environment().put("SATELLITE_ADMIN_TOKEN", "bench");
      pb.environment().put("SATELLITE_CHAOS_ENABLED", "true");
      pb.redirectErrorStream(true).redirectOutput(log);
      Process p = pb.start();
      CompletableFuture<Instant> exited = p.onExit().thenApply(x -> Instant.now());
      while (status(http, "http://127.0.0.1:18080/health/ready") != 200) {
        Thread.sleep(50);
      }
      http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:19090/admin/chaos/faults"))
          .header("Authorization", "Bearer bench")
          .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"crash\",\"target\":\"hello\",\"count\":100000}")).build(),
          HttpResponse.BodyHandlers.discarding());
      while (p.isAlive() && status(http, "http://127.0.0.1:18080/hello") > 0) {
        // drive the crash loop
      }
      Instant gone = exited.get();
      String fatal = Files.readAllLines(log.toPath()).stream().filter(l -> l.contains("FATAL")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no FATAL line in " + log));
      Instant fatalAt = OffsetDateTime.parse(fatal.substring(0, fatal.indexOf(' '))).toInstant();
      long ms = Duration.between(fatalAt, gone).toMillis();
      millis.add(ms);
      System.out.printf("run %d: exit code %d, FATAL line to process gone: %d ms%n", run, p.exitValue(), ms);
      Files.delete(log.toPath());
    }
    Collections.sort(millis);
    System.out.printf("root gave up -> process exit over %d runs: median %d ms, max %d ms%n", runs,
        millis.get(millis.size() / 2), millis.get(millis.size() - 1));
  }

  private static int status(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
