package dev.satellite.cli;

import dev.satellite.experiment.Experiment;
import dev.satellite.experiment.ExperimentConfiguration;
import dev.satellite.experiment.ExperimentException;
import dev.satellite.experiment.ExperimentParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chaos validate EXPERIMENT}: exit 0 with a one-line summary, or 2 with one line per problem on stderr, each
 * naming the field ({@code experiment error: method[2].provider.url: must be a non-empty string}).
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Check an experiment file (JSON or YAML) and exit 0, or 2 listing each problem.")
public final class ChaosValidateCommand implements Callable<Integer> {

  @Parameters(paramLabel = "EXPERIMENT", description = "The experiment file (.json, .yaml or .yml).")
  Path file;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Logging.configureQuiet("WARN");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Experiment e;
    try {
      e = ExperimentParser.parse(file);
      ExperimentConfiguration.resolve(e, System.getenv());
    } catch (ExperimentException ex) {
      ex.problems().forEach(p -> err.println("experiment error: " + p));
      err.flush();
      return ExitCodes.CONFIG;
    }
    out.println(summary(e));
    out.flush();
    return ExitCodes.OK;
  }

  static String summary(Experiment e) {
    StringBuilder sb = new StringBuilder("experiment OK: \"").append(e.title()).append("\": ");
    sb.append(e.hypothesis().map(h -> h.probes().size()).orElse(0)).append(" hypothesis probe(s), ")
        .append(e.method().size()).append(" method activit").append(e.method().size() == 1 ? "y" : "ies").append(", ")
        .append(e.rollbacks().size()).append(" rollback(s)");
    e.cluster().ifPresent(c -> sb.append("; cluster of ").append(c.nodes()));
    e.load().ifPresent(l -> sb.append("; load ").append(l.rate()).append("/s for ").append(l.duration().toMillis() / 1000.0).append(" s"));
    e.seed().ifPresent(s -> sb.append("; seed ").append(s));
    if (e.safeguard()) {
      sb.append("; safeguard");
    }
    return sb.toString();
  }
}
