package dev.satellite.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Satellite node started from the built jar as a separate process, with its output captured to a file.
 * Always {@link #close()} it: that kills the process (and waits) if it is still running.
 */
public final class NodeProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path output;
  private final Path errors;
  public final int httpPort;
  public final int adminPort;

  private NodeProcess(Process process, Path output, Path errors, int httpPort, int adminPort) {
    this.process = process;
    this.output = output;
    this.errors = errors;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("satellite.jar", "target/satellite.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no jar at " + jar + ": run `./mvnw verify` (the jar is built in `package`)");
    }
    return jar;
  }

  /** Starts {@code java -jar satellite.jar <args>} in {@code workDir}, with extra environment variables. */
  public static NodeProcess start(Path workDir, Map<String, String> env, int httpPort, int adminPort, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-jar", jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return startCommand(workDir, env, httpPort, adminPort, cmd);
  }

  /** Starts {@code command} (a node's, however launched) in {@code workDir}, with extra environment variables. */
  public static NodeProcess startCommand(Path workDir, Map<String, String> env, int httpPort, int adminPort,
      List<String> cmd) throws IOException {
    Path out = Files.createTempFile(workDir, "node-", ".log");
    Path err = Files.createTempFile(workDir, "node-", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SATELLITE_"));
    pb.environment().putAll(env);
    return new NodeProcess(pb.start(), out, err, httpPort, adminPort);
  }

  /**
   * Starts {@code run --cluster} as node {@code id} of cluster {@code cluster} on free loopback ports, with
   * {@code env} on top (an admin token, say).
   */
  public static NodeProcess startClustered(Path workDir, String cluster, String id, Map<String, String> env)
      throws IOException {
    int http = dev.satellite.support.TestConfigs.freePort();
    int admin = dev.satellite.support.TestConfigs.freePort();
    Map<String, String> all = new java.util.HashMap<>(Map.of("SATELLITE_NODE_ID", id, "SATELLITE_CLUSTER_NAME", cluster,
        "SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_HTTP_PORT", String.valueOf(http),
        "SATELLITE_ADMIN_PORT", String.valueOf(admin)));
    all.putAll(env);
    return start(workDir, all, http, admin, "run", "--cluster");
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** Everything the process wrote: its standard output, then its standard error. */
  public String output() throws IOException {
    return Files.readString(output) + Files.readString(errors);
  }

  /** What the process wrote on its standard output alone. */
  public String standardOutput() throws IOException {
    return Files.readString(output);
  }

  /** What the process wrote on its standard error alone. */
  public String errors() throws IOException {
    return Files.readString(errors);
  }

  /**
   * Polls {@code /health/ready} on the admin listener (where Kubernetes asks too) until it answers 200; fails with
   * the node's output if it does not in time.
   */
  public void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("node exited with " + process.exitValue() + " before ready:\n" + output());
      }
      if (ready()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node not ready within " + timeout + ":\n" + output());
  }

  /** Whether {@code /health/ready} on the admin listener answers 200 now (false while it is not listening). */
  public boolean ready() throws InterruptedException {
    try {
      return send(adminPort, "/health/ready", Map.of()).statusCode() == 200;
    } catch (IOException notListening) {
      return false;
    }
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(httpPort, path, Map.of());
  }

  public HttpResponse<String> send(int port, String path, Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request to the admin API with its bearer token; {@code body} null for none. */
  public HttpResponse<String> admin(String token, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends SIGTERM (a graceful shutdown request). */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit and returns its exit code, or fails. */
  public int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node did not exit within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
