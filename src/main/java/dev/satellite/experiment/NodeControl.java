package dev.satellite.experiment;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code chaos node kill|freeze|thaw|stop|restart|add NAME}: acts on a local cluster through its {@link StateDir}.
 * Signals go straight to the node's PID (kill = SIGKILL, freeze = SIGSTOP, thaw = SIGCONT, stop = SIGTERM and a
 * wait for the exit, SIGKILL after {@code stopGrace}); {@code restart} and {@code add} are requests the runner
 * carries out (it starts the process, so the node keeps its lifeline to the runner), answered within
 * {@code requestTimeout}.
 *
 * <p>Thread-safe: stateless apart from its settings; calls block until done.
 */
public final class NodeControl {

  public static final List<String> OPERATIONS = List.of("kill", "freeze", "thaw", "stop", "restart", "add", "await-exit");

  private final StateDir state;
  private final Duration stopGrace;
  private final Duration requestTimeout;

  public NodeControl(StateDir state, Duration stopGrace, Duration requestTimeout) {
    this.state = state;
    this.stopGrace = stopGrace;
    this.requestTimeout = requestTimeout;
  }

  /** Carries out {@code op} on node {@code name}; returns a line saying what was done, or throws saying why not. */
  public String apply(String op, String name) throws IOException, InterruptedException {
    JsonObject s = state.read();
    JsonObject nodes = s.getJsonObject("nodes", new JsonObject());
    if (op.equals("restart") || op.equals("add")) {
      if (op.equals("restart") && !nodes.containsKey(name)) {
        throw new IOException("no node named " + name + " (nodes: " + String.join(", ", nodes.fieldNames()) + ")");
      }
      if (op.equals("add") && nodes.containsKey(name)) {
        throw new IOException("a node named " + name + " exists already");
      }
      long runner = s.getJsonObject("runner", new JsonObject()).getLong("pid", -1L);
      if (!ProcessSignals.alive(runner)) {
        throw new IOException("the runner (pid " + runner + ") that owns this cluster is not running");
      }
      return request(op, name);
    }
    JsonObject node = nodes.getJsonObject(name);
    if (node == null) {
      throw new IOException("no node named " + name + " (nodes: " + String.join(", ", nodes.fieldNames()) + ")");
    }
    if (op.equals("await-exit")) {
      return awaitExit(name);
    }
    long pid = node.getLong("pid", -1L);
    if (!ProcessSignals.alive(pid)) {
      throw new IOException("node " + name + " (pid " + pid + ") is not running");
    }
    switch (op) {
      case "kill" -> {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        return "node " + name + " (pid " + pid + ") killed (SIGKILL)";
      }
      case "freeze" -> {
        signal("STOP", pid);
        return "node " + name + " (pid " + pid + ") frozen (SIGSTOP)";
      }
      case "thaw" -> {
        signal("CONT", pid);
        return "node " + name + " (pid " + pid + ") thawed (SIGCONT)";
      }
      case "stop" -> {
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new IOException("node " + name + " is gone"));
        ProcessSignals.send("CONT", pid);
        h.destroy();
        try {
          h.onExit().get(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
          return "node " + name + " (pid " + pid + ") stopped (SIGTERM)";
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
          h.destroyForcibly();
          return "node " + name + " (pid " + pid + ") did not stop within " + stopGrace.toSeconds() + " s: killed";
        }
      }
      default -> throw new IOException("unknown operation " + op + " (" + String.join(", ", OPERATIONS) + ")");
    }
  }

  /**
   * Waits (up to the request timeout) until the runner has seen the node's process end, and says how it ended:
   * {@code node n1 exited with 70} — what a process probe's regex tolerance can check. (When it exited is in the
   * run's membership timeline.)
   */
  private String awaitExit(String name) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + requestTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject node = state.read().getJsonObject("nodes", new JsonObject()).getJsonObject(name, new JsonObject());
      Integer code = node.getInteger("exit_code");
      if (code != null) {
        return "node " + name + " exited with " + code;
      }
      Thread.sleep(100);
    }
    throw new IOException("node " + name + " did not exit within " + requestTimeout.toSeconds() + " s");
  }

  private static void signal(String sig, long pid) throws IOException {
    if (!ProcessSignals.send(sig, pid)) {
      throw new IOException("kill -" + sig + " " + pid + " failed");
    }
  }

  private String request(String op, String name) throws IOException, InterruptedException {
    String id = UUID.randomUUID().toString();
    Path done = state.requests().resolve(id + ".done");
    StateDir.writeAtomically(state.requests().resolve(id + ".json"), new JsonObject().put("op", op).put("node", name).encode());
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isRegularFile(done)) {
        JsonObject answer = new JsonObject(Files.readString(done));
        Files.deleteIfExists(done);
        if (answer.getBoolean("ok", false)) {
          return answer.getString("message");
        }
        throw new IOException(answer.getString("message"));
      }
      Thread.sleep(100);
    }
    throw new IOException("the runner did not answer the " + op + " request within " + requestTimeout.toSeconds() + " s");
  }
}
