package dev.satellite.cli;

import dev.satellite.config.ConfigException;
import dev.satellite.config.ConfigLoader;
import dev.satellite.node.Node;
import dev.satellite.supervision.MonotonicClock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run}: starts a node and keeps the process until it is told to stop. The first SIGTERM/SIGINT
 * starts a graceful shutdown (exit 0 when done); a second signal, or the grace period running out, halts
 * at once with exit 1.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Start a Satellite node.")
public final class RunCommand implements Callable<Integer> {

  /** Time allowed beyond drain delay + grace before a stuck shutdown is cut short. */
  static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);

  @Mixin
  ConfigOptions options;

  @Option(names = "--cluster", description = "Join the cluster (same as cluster.enabled=true).")
  boolean cluster;

  @Option(names = "--lifeline", paramLabel = "stdin", hidden = true,
      description = "Exit (halt, code 1) when standard input reaches its end: the parent that started the node is gone.")
  String lifeline;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (lifeline != null && !Lifeline.STDIN.equals(lifeline)) {
      err.println("usage error: --lifeline: the only lifeline is 'stdin', got '" + lifeline + "'");
      err.flush();
      return ExitCodes.CONFIG;
    }
    ConfigLoader.Loaded loaded;
    try {
      loaded = options.load(cluster ? List.of("cluster.enabled=true") : List.of());
    } catch (ConfigException e) {
      e.problems().forEach(p -> err.println("config error: " + p));
      err.flush();
      return ExitCodes.CONFIG;
    }
    Logging.configure(loaded.config().log());
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    log.info("starting satellite node {} with {}", loaded.config().nodeId(), loaded.source());
    loaded.warnings().forEach(log::warn);
    if (lifeline != null) {
      Lifeline.watch(System.in, () -> {
        log.error("lifeline broken: the process that started this node is gone (stdin closed); halting");
        halt(ExitCodes.FATAL);
      });
    }

    Node node = new Node(loaded, new MonotonicClock(), (code, reason) -> {
      log.error("FATAL {}: exiting with {} (no drain: crash fast, come back fast)", reason, code);
      halt(code);
    });
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    AtomicInteger signals = new AtomicInteger();
    Signals.onTermOrInt(signal -> {
      if (signals.incrementAndGet() > 1) {
        log.warn("{} again during shutdown: halting now", signal);
        halt(ExitCodes.FATAL);
      }
      log.info("{} received: shutting down gracefully", signal);
      startHaltTimer(loaded, log);
      node.shutdown().onComplete(ar -> exit.complete(ExitCodes.OK));
    });

    node.start().onFailure(t -> {
      if (signals.get() > 0) {
        return; // start was cut short by a shutdown; its outcome decides the exit code
      }
      int code = t instanceof ConfigException ? ExitCodes.CONFIG : ExitCodes.FATAL;
      if (t instanceof ConfigException ce) {
        // found only once the node met the cluster (a node.id already taken): reported like every config problem
        Logging.flush();
        ce.problems().forEach(p -> err.println("config error: " + p));
        err.flush();
      } else if (t instanceof java.net.BindException) {
        log.error("node failed to start: {}", t.getMessage());
      } else {
        log.error("node failed to start: {}", t.toString(), t);
      }
      node.close().onComplete(ar -> exit.complete(code));
    });

    int code = exit.join();
    Logging.flush();
    return code;
  }

  /** Bounds the whole shutdown: past drain delay + grace + a margin the process halts with exit 1. */
  private static void startHaltTimer(ConfigLoader.Loaded loaded, Logger log) {
    Duration limit = loaded.config().shutdown().drainDelay().plus(loaded.config().shutdown().grace()).plus(SHUTDOWN_MARGIN);
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(limit.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      log.error("shutdown did not finish within {} ms: halting", limit.toMillis());
      halt(ExitCodes.FATAL);
    }, "satellite-shutdown-timer");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Flushes the logs and halts: no shutdown hooks, no drain. (HotSpot itself then waits up to ~300 ms for
   * threads in native code, such as event loops in epoll, before the process is gone.)
   */
  static void halt(int code) {
    Logging.flush();
    Runtime.getRuntime().halt(code);
  }
}
