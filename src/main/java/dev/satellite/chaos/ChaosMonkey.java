package dev.satellite.chaos;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Crashes a random serving instance of the given actors at random times, all day: on average
 * {@code crashesPerMinute}, each gap between crashes drawn evenly between half and one and a half times the mean
 * gap. Both the gaps and the victims come from one seeded generator, so a seed repeats a day's choices (given the
 * same instances). It proves that supervision works always, not once.
 *
 * <p>Gaps are bounded below (unlike a Poisson process's) so the monkey's worst case is known: at most
 * {@code floor(W / (30 s / crashesPerMinute)) + 1} crashes fall in any window {@code W}. A rate whose worst case
 * exceeds a supervisor's restart intensity ({@code maxRestarts} in {@code period}) will make it give up — as it
 * should; with the defaults (5 in 10 s) that is any rate above 12 a minute.
 *
 * <p>Not thread-safe: confined to the context that calls {@link #nextDelayMs()} and {@link #strike()} (the node's
 * own), which also owns the timer between them.
 */
public final class ChaosMonkey {

  /** One crash the monkey made: whom, and when it planned the next. */
  public record Strike(String actor, int instance, long nextDelayMs) {
  }

  private final FaultRegistry registry;
  private final double crashesPerMinute;
  private final List<String> targets;
  private final Random random;
  private final Consumer<Strike> struck;

  /**
   * @param targets actor ids to choose from; empty = every actor
   * @param struck  hears of each crash (to log, count and publish it)
   */
  public ChaosMonkey(FaultRegistry registry, double crashesPerMinute, List<String> targets, long seed, Consumer<Strike> struck) {
    if (!(crashesPerMinute > 0)) {
      throw new IllegalArgumentException("crashesPerMinute must be above 0");
    }
    this.registry = registry;
    this.crashesPerMinute = crashesPerMinute;
    this.targets = List.copyOf(targets);
    this.random = new Random(seed);
    this.struck = struck;
  }

  /** The wait before the next crash: evenly between 0.5 and 1.5 times {@code 60 s / crashesPerMinute}. */
  public long nextDelayMs() {
    double meanMs = 60_000 / crashesPerMinute;
    return Math.max(1, Math.round(meanMs * (0.5 + random.nextDouble())));
  }

  /** Crashes one serving instance chosen at random (none when none serves), and returns the wait before the next. */
  public long strike() {
    List<Victim> candidates = registry.victims(targets);
    long next = nextDelayMs();
    if (!candidates.isEmpty()) {
      Victim v = candidates.get(random.nextInt(candidates.size()));
      v.crash("chaos monkey");
      struck.accept(new Strike(v.actor(), v.instance(), next));
    }
    return next;
  }
}
