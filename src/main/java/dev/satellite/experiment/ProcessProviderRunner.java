package dev.satellite.experiment;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code process} provider as Chaos Toolkit does: {@code path} is looked up on the PATH; string
 * {@code arguments} are appended to it and run by {@code sh -c}; a list is passed as separate arguments (nulls and
 * empty strings dropped); a mapping as {@code key value} pairs. The output is {@code {status, stdout, stderr}}; a
 * non-zero exit is output, not a failure; a process still running after {@code timeout} seconds is killed (with its
 * descendants) and the activity fails. The runner's extra environment ({@code SATELLITE_CHAOS_STATE}) is added to
 * the inherited one.
 *
 * <p>Thread-safe: each call has its own process; a call blocks its thread until the process ends.
 */
public final class ProcessProviderRunner {

  private final Map<String, String> extraEnv;

  public ProcessProviderRunner(Map<String, String> extraEnv) {
    this.extraEnv = Map.copyOf(extraEnv);
  }

  /** The executable {@code path} names: itself when it contains a slash, else the first match on the PATH. */
  public static Optional<Path> resolve(String path) {
    String p = path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    if (p.contains("/")) {
      Path f = Path.of(p);
      return Files.isRegularFile(f) && Files.isExecutable(f) ? Optional.of(f) : Optional.empty();
    }
    String env = System.getenv("PATH");
    if (env == null) {
      return Optional.empty();
    }
    for (String dir : env.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path f = Path.of(dir, p);
      if (Files.isRegularFile(f) && Files.isExecutable(f)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  public Map<String, Object> run(Provider.Process provider, Bindings bindings) throws ActivityFailed, InterruptedException {
    Path exe = resolve(provider.path())
        .orElseThrow(() -> new ActivityFailed("path '" + provider.path() + "' cannot be found"));
    Object args = bindings.substitute(provider.arguments());
    List<String> command = new ArrayList<>();
    if (args instanceof String s) {
      command.addAll(List.of("sh", "-c", exe + " " + s));
    } else {
      command.add(exe.toString());
      if (args instanceof List<?> l) {
        l.stream().filter(x -> x != null && !"".equals(x)).forEach(x -> command.add(pythonStr(x)));
      } else if (args instanceof Map<?, ?> m) {
        m.forEach((k, v) -> {
          command.add(String.valueOf(k));
          command.add(pythonStr(v));
        });
      }
    }
    Path out;
    Path err;
    try {
      out = Files.createTempFile("satellite-process-", ".out");
      err = Files.createTempFile("satellite-process-", ".err");
    } catch (IOException e) {
      throw new ActivityFailed("cannot create output files: " + e.getMessage(), e);
    }
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(extraEnv);
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new ActivityFailed("cannot start " + command.get(0) + ": " + e.getMessage(), e);
      }
      try {
        boolean done = provider.timeout() == null ? waitFor(process)
            : process.waitFor((long) (provider.timeout() * 1000), TimeUnit.MILLISECONDS);
        if (!done) {
          destroy(process);
          throw new ActivityFailed("process activity took too long to complete");
        }
      } catch (InterruptedException e) {
        destroy(process);
        throw e;
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("status", process.exitValue());
      result.put("stdout", Files.readString(out, StandardCharsets.UTF_8));
      result.put("stderr", Files.readString(err, StandardCharsets.UTF_8));
      return result;
    } catch (IOException e) {
      throw new ActivityFailed("cannot read the process output: " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      } catch (IOException ignored) {
        // temp files; nothing to do
      }
    }
  }

  private static boolean waitFor(Process p) throws InterruptedException {
    p.waitFor();
    return true;
  }

  private static void destroy(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A value as Python's {@code str()} writes it (as Chaos Toolkit passes list arguments). */
  static String pythonStr(Object v) {
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v == null) {
      return "None";
    }
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      return io.vertx.core.json.Json.encode(Json.toVertx(v));
    }
    return String.valueOf(v);
  }
}
