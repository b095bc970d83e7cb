package dev.satellite.experiment;

import java.util.List;

/**
 * An experiment file that cannot be run: every problem found, each naming the field it is about
 * ({@code method[2].provider.url: must be a string}).
 *
 * <p>Thread-safe: immutable.
 */
public final class ExperimentException extends Exception {

  private final List<String> problems;

  public ExperimentException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public ExperimentException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
