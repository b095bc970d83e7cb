package dev.satellite.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar satellite.jar chaos …} as a separate process, its output captured to files. Always
 * {@link #close()} it: that kills it (and waits) if it is still running.
 */
final class RunnerProcess implements AutoCloseable {

  private final Process process;
  private final Path out;
  private final Path err;

  private RunnerProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static RunnerProcess start(Path workDir, String... args) throws IOException {
    return start(workDir, java.util.Map.of(), args);
  }

  /** The same, with extra environment variables (an experiment's {@code {type: env}} configuration). */
  static RunnerProcess start(Path workDir, java.util.Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", NodeProcess.jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    Path o = Files.createTempFile(workDir, "runner-", ".out");
    Path e = Files.createTempFile(workDir, "runner-", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(o.toFile()).redirectError(e.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SATELLITE_") || k.startsWith("CHAOS_"));
    pb.environment().putAll(env);
    return new RunnerProcess(pb.start(), o, e);
  }

  long pid() {
    return process.pid();
  }

  String output() throws IOException {
    return Files.readString(out) + Files.readString(err);
  }

  String stdout() throws IOException {
    return Files.readString(out);
  }

  String stderr() throws IOException {
    return Files.readString(err);
  }

  /** Waits until the standard output contains {@code text}; fails with the output if it does not in time. */
  void awaitOutput(String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (stdout().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("runner exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("runner did not print '" + text + "' within " + timeout + ":\n" + output());
  }

  int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("runner did not exit within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  void signal(String name) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
  }

  /** The pids of the nodes in a state directory. */
  static List<Long> nodePids(Path stateDir) throws IOException {
    JsonObject nodes = new JsonObject(Files.readString(stateDir.resolve("state.json"))).getJsonObject("nodes");
    return nodes.fieldNames().stream().map(n -> nodes.getJsonObject(n).getLong("pid")).toList();
  }

  /** Waits until none of {@code pids} is alive; returns the ones still alive after {@code timeout}. */
  static List<Long> awaitGone(List<Long> pids, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Long> alive = pids;
    while (System.nanoTime() < deadline) {
      alive = pids.stream().filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).toList();
      if (alive.isEmpty()) {
        return alive;
      }
      Thread.sleep(100);
    }
    return alive;
  }

  /** Kills whatever of {@code pids} is still alive (cleanup after a failed assertion). */
  static void killAll(List<Long> pids) {
    pids.forEach(p -> ProcessHandle.of(p).ifPresent(h -> {
      try {
        new ProcessBuilder("kill", "-CONT", Long.toString(p)).start().waitFor();
      } catch (IOException | InterruptedException ignored) {
        // killed below anyway
      }
      h.destroyForcibly();
    }));
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
