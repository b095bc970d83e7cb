package dev.satellite.experiment;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The directory that describes a local cluster to the processes an experiment runs ({@code chaos node …}), named to
 * them by the environment variable {@value #ENV}:
 * <pre>
 * state.json          {"runner": {"pid", "started"}, "jar", "java", "cluster", "token",
 *                      "nodes": {"n1": {"name", "pid", "state", "http_port", "admin_port", "event_bus_port",
 *                                       "url", "admin_url", "command": [...], "log", "err", "starts"}}}
 * nodes/n1.log, .err  each node's standard output and error (appended across restarts)
 * requests/ID.json    a request to the runner: {"op": "restart"|"add", "node": "n2"}; the runner answers with
 * requests/ID.done    {"ok": bool, "message": "..."}
 * </pre>
 * {@code state.json} is written only by the runner, replaced atomically.
 *
 * <p>Thread-safe: reads and atomic replaces of files.
 */
public final class StateDir {

  public static final String ENV = "SATELLITE_CHAOS_STATE";
  public static final String STATE = "state.json";

  private final Path dir;

  public StateDir(Path dir) {
    this.dir = dir;
  }

  public Path path() {
    return dir;
  }

  public Path nodes() {
    return dir.resolve("nodes");
  }

  public Path requests() {
    return dir.resolve("requests");
  }

  public void create() throws IOException {
    Files.createDirectories(nodes());
    Files.createDirectories(requests());
  }

  public JsonObject read() throws IOException {
    Path f = dir.resolve(STATE);
    if (!Files.isRegularFile(f)) {
      throw new IOException("no " + STATE + " in " + dir + " (is this the state directory a chaos run printed?)");
    }
    return new JsonObject(Files.readString(f));
  }

  public synchronized void write(JsonObject state) throws IOException {
    writeAtomically(dir.resolve(STATE), state.encodePrettily());
  }

  static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
