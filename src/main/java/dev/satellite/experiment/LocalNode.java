package dev.satellite.experiment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node process the runner started: its name, ports, command and logs, and the pipe to its standard input that
 * is its lifeline (the node runs with {@code --lifeline stdin} and exits when the pipe breaks — when the runner
 * exits, however it exits). A restart starts the same command on the same ports.
 *
 * <p>Thread-safe: the process fields are guarded by this object.
 */
final class LocalNode {

  /**
   * {@code setsid}, when the machine has it: a node runs in a session of its own, so a Ctrl-C in the runner's terminal
   * (SIGINT to the whole foreground process group) reaches the runner alone — which then rolls back against nodes
   * that are still up, and stops them itself. ({@code setsid} execs the node in place: the PID is the node's.)
   */
  private static final java.util.Optional<Path> SETSID = ProcessProviderRunner.resolve("setsid");

  final String name;
  final int httpPort;
  final int adminPort;
  final int eventBusPort;
  final List<String> command;
  final Path log;
  final Path err;
  private Process process;
  private OutputStream lifeline;
  private boolean stopping;
  private int starts;
  volatile NodeState state = NodeState.STARTING;
  volatile boolean servedSinceStart;
  /** The ended process whose exit code the state directory holds (the monitor writes it once per process). */
  Process exitWritten;

  LocalNode(String name, int httpPort, int adminPort, int eventBusPort, List<String> command, Path log, Path err) {
    this.name = name;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
    this.eventBusPort = eventBusPort;
    this.command = List.copyOf(command);
    this.log = log;
    this.err = err;
  }

  synchronized void start(Path workDir) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(command);
    SETSID.ifPresent(s -> cmd.add(0, s.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().keySet().removeIf(k -> k.startsWith("SATELLITE_"));
    process = pb.start();
    lifeline = process.getOutputStream(); // kept open: its end is the node's signal to go
    stopping = false;
    servedSinceStart = false;
    state = NodeState.STARTING;
    starts++;
  }

  synchronized Process process() {
    return process;
  }

  synchronized boolean stopping() {
    return stopping;
  }

  long pid() {
    Process p = process();
    return p == null ? -1 : p.pid();
  }

  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  String adminUrl() {
    return "http://127.0.0.1:" + adminPort;
  }

  /** SIGCONT (in case it is frozen), SIGTERM, up to {@code graceMs} for it to exit, then SIGKILL. */
  void stop(long graceMs) {
    Process p;
    synchronized (this) {
      p = process;
      stopping = true;
    }
    if (p == null || !p.isAlive()) {
      return;
    }
    ProcessSignals.send("CONT", p.pid());
    p.destroy();
    try {
      if (!p.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    closeLifeline();
  }

  synchronized void closeLifeline() {
    if (lifeline != null) {
      try {
        lifeline.close();
      } catch (IOException ignored) {
        // the node is gone already
      }
      lifeline = null;
    }
  }

  synchronized JsonObject toJson() {
    return new JsonObject().put("name", name).put("pid", pid()).put("state", state.json())
        .put("http_port", httpPort).put("admin_port", adminPort).put("event_bus_port", eventBusPort)
        .put("url", url()).put("admin_url", adminUrl()).put("command", new JsonArray(command))
        .put("log", log.toString()).put("err", err.toString()).put("starts", starts)
        .put("exit_code", process != null && !process.isAlive() ? process.exitValue() : null);
  }
}
