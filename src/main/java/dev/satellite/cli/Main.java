package dev.satellite.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code satellite} command: {@code run} a node, {@code check-config}, or {@code chaos} experiments. */
@Command(name = "satellite", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "A crash-fast service-mesh node on Vert.x.",
    subcommands = {RunCommand.class, CheckConfigCommand.class, ChaosCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        " 0:clean shutdown",
        " 1:other fatal error (failed start, grace period ran out, second signal)",
        " 2:bad configuration or usage",
        "70:the root supervisor gave up (crash-fast)"})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line; picocli already exits 2 on usage errors and 1 on an exception, as the contract wants. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  /** Without a subcommand: show usage and fail as a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: use 'run', 'check-config' or 'chaos'.");
  }
}
