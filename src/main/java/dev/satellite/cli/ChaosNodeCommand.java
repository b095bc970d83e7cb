package dev.satellite.cli;

import dev.satellite.experiment.NodeControl;
import dev.satellite.experiment.StateDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chaos node kill|freeze|thaw|stop|restart|add|await-exit NAME}: acts on a node of the local cluster a {@code chaos run}
 * started, found through its state directory ({@code --state-dir}, else {@code $SATELLITE_CHAOS_STATE}, which the
 * runner gives every process it runs). Exit 0 when done, 1 when it could not be done, 2 on a usage error.
 */
@Command(name = "node", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Act on a node of a running experiment's local cluster: kill (SIGKILL), freeze (SIGSTOP), thaw"
        + " (SIGCONT), stop (SIGTERM and wait), restart (same ports, wait ready), add (a new node joins, wait ready),"
        + " await-exit (wait until its process ends; prints its exit code).")
public final class ChaosNodeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "OPERATION", description = "kill, freeze, thaw, stop, restart, add or await-exit.")
  String operation;

  @Parameters(index = "1", paramLabel = "NAME", description = "The node's name (n1, n2 …; a new name for add).")
  String name;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "The run's state directory (default: $SATELLITE_CHAOS_STATE).")
  Path stateDir;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Logging.configureQuiet("WARN");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!NodeControl.OPERATIONS.contains(operation)) {
      err.println("usage error: unknown operation '" + operation + "' (" + String.join(", ", NodeControl.OPERATIONS) + ")");
      err.flush();
      return ExitCodes.CONFIG;
    }
    Path dir = stateDir;
    if (dir == null) {
      String env = System.getenv(StateDir.ENV);
      if (env == null || env.isEmpty()) {
        err.println("usage error: no --state-dir and no " + StateDir.ENV + " in the environment");
        err.flush();
        return ExitCodes.CONFIG;
      }
      dir = Path.of(env);
    }
    try {
      out.println(new NodeControl(new StateDir(dir), Duration.ofSeconds(20), Duration.ofSeconds(150)).apply(operation, name));
      out.flush();
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("chaos node " + operation + " " + name + ": " + e.getMessage());
      err.flush();
      return ExitCodes.FATAL;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FATAL;
    }
  }
}
