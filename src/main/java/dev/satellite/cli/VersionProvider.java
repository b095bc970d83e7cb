package dev.satellite.cli;

import dev.satellite.config.Version;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} for the command and every subcommand. */
public final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"satellite " + Version.get(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
  }
}
