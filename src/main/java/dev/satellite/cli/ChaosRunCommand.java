package dev.satellite.cli;

import dev.satellite.experiment.Experiment;
import dev.satellite.experiment.ExperimentException;
import dev.satellite.experiment.ExperimentParser;
import dev.satellite.experiment.ExperimentRun;
import dev.satellite.experiment.ExperimentRunner;
import dev.satellite.experiment.LocalCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chaos run EXPERIMENT}: runs an experiment (see {@link ExperimentRun}). The first SIGINT/SIGTERM interrupts
 * the run: the method stops, rollbacks run, nodes stop, the journal is written, exit 1. A second signal writes the
 * journal as it is and halts (the nodes then exit by their lifeline).
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Run an experiment: start its cluster and load, check the hypothesis, run the method, roll back,"
        + " write the journal and the report. Exit 0 when the hypothesis held, 1 when not, 2 on a bad file.")
public final class ChaosRunCommand implements Callable<Integer> {

  @Parameters(paramLabel = "EXPERIMENT", description = "The experiment file (.json, .yaml or .yml).")
  Path file;

  @Option(names = "--journal", paramLabel = "FILE", description = "Where to write the journal (default: ./journal.json).")
  Path journal;

  @Option(names = "--report", paramLabel = "FILE",
      description = "Where to write the HTML report (default: chaos-report.html next to the journal).")
  Path report;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the run (default: the file's seed, else random).")
  Long seed;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Directory for the local cluster's state and logs (default: a new temporary directory).")
  Path stateDir;

  @Option(names = "--jar", paramLabel = "FILE", description = "The Satellite jar to start nodes from (default: this one).")
  Path jar;

  @Option(names = "--safeguard-every", paramLabel = "MILLIS", hidden = true,
      description = "How often the safeguard checks the hypothesis, in ms (default 1000).")
  long safeguardEveryMs = ExperimentRunner.DEFAULT_SAFEGUARD_EVERY.toMillis();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Logging.configureQuiet("WARN");
    Logging.silence("io.vertx.core.net.impl.ConnectionBase");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Experiment e;
    try {
      e = ExperimentParser.parse(file);
    } catch (ExperimentException ex) {
      ex.problems().forEach(p -> err.println("experiment error: " + p));
      err.flush();
      return ExitCodes.CONFIG;
    }
    ExperimentRun run = new ExperimentRun(e, new ExperimentRun.Options(Optional.ofNullable(journal),
        Optional.ofNullable(report), Optional.ofNullable(seed), Optional.ofNullable(stateDir), Optional.ofNullable(jar),
        Path.of("").toAbsolutePath(), System.getenv(), Duration.ofMillis(Math.max(50, safeguardEveryMs)),
        LocalCluster.Options.Timeouts.DEFAULTS), Clock.systemUTC(), line -> {
          out.println(line);
          out.flush();
        });
    AtomicInteger signals = new AtomicInteger();
    Signals.onTermOrInt(signal -> {
      if (signals.incrementAndGet() > 1) {
        out.println(signal + " again: writing the journal and halting");
        out.flush();
        run.writeJournalNow();
        RunCommand.halt(ExitCodes.FATAL);
      }
      Thread t = new Thread(() -> run.interrupt(signal), "chaos-interrupt");
      t.setDaemon(true);
      t.start();
    });
    try {
      return run.run();
    } catch (ExperimentException ex) {
      ex.problems().forEach(p -> err.println("experiment error: " + p));
      err.flush();
      return ExitCodes.CONFIG;
    } finally {
      out.flush();
      Logging.flush();
    }
  }
}
