package dev.satellite.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signals to processes by PID: Java has SIGTERM and SIGKILL ({@link ProcessHandle}); SIGSTOP and SIGCONT go through
 * {@code kill}. Also reads whether a process is stopped, from {@code /proc/PID/stat} (Linux).
 *
 * <p>Thread-safe: stateless.
 */
public final class ProcessSignals {

  private ProcessSignals() {
  }

  /** Sends {@code signal} (STOP, CONT, TERM, KILL …) with {@code kill}; true when it was delivered. */
  public static boolean send(String signal, long pid) {
    try {
      Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** True when the process is stopped (SIGSTOP): state T in /proc/PID/stat. */
  public static boolean isFrozen(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close > 0 && close + 2 < stat.length() && List.of('T', 't').contains(stat.charAt(close + 2));
    } catch (IOException e) {
      return false;
    }
  }

  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
