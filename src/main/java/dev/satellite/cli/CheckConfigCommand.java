package dev.satellite.cli;

import dev.satellite.cluster.HazelcastConfigs;
import dev.satellite.config.ConfigException;
import dev.satellite.config.ConfigLoader;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code check-config}: validates the effective config and exits 0, or 2 with one line per problem. */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Validate the configuration (file, SATELLITE_* environment, --set) and exit 0, or 2 listing each problem.")
public final class CheckConfigCommand implements Callable<Integer> {

  @Mixin
  ConfigOptions options;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ConfigLoader.Loaded loaded = options.load(List.of());
      if (loaded.config().cluster().hazelcastConfig().isPresent()) { // read and checked as `run --cluster` would
        Logging.hazelcastSilent(); // this command prints its verdict and nothing else
        HazelcastConfigs.build(loaded.config().cluster(), loaded.config().push().historySize());
      }
      loaded.warnings().forEach(w -> err.println("warning: " + w));
      out.println("config OK (" + loaded.source() + "), node " + loaded.config().nodeId());
      return ExitCodes.OK;
    } catch (ConfigException e) {
      e.problems().forEach(p -> err.println("config error: " + p));
      return ExitCodes.CONFIG;
    }
  }
}
