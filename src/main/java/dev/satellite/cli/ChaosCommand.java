package dev.satellite.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code chaos}: run and validate experiments (Chaos Toolkit's format), act on the local cluster of a run. */
@Command(name = "chaos", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Chaos experiments: run, validate, and act on the local cluster a run started.",
    subcommands = {ChaosRunCommand.class, ChaosValidateCommand.class, ChaosNodeCommand.class})
public final class ChaosCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: use 'run', 'validate' or 'node'.");
  }
}
