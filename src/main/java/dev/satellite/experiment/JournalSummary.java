package dev.satellite.experiment;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One line of figures from a journal, for {@code chaos/run-all.sh}: the verdict, the run's duration and the load's
 * totals ({@code java -cp satellite.jar dev.satellite.experiment.JournalSummary JOURNAL NAME}).
 */
public final class JournalSummary {

  private JournalSummary() {
  }

  public static void main(String[] args) throws IOException {
    JsonObject j = new JsonObject(Files.readString(Path.of(args[0])));
    System.out.println(line(args.length > 1 ? args[1] : args[0], j));
  }

  static String line(String name, JsonObject journal) {
    JsonObject summary = journal.getJsonObject("summary", new JsonObject());
    JsonObject load = summary.getJsonObject("load");
    String verdict = summary.getString("verdict", journal.getString("status"));
    double seconds = journal.getDouble("duration", 0.0);
    if (load == null) {
      return String.format(Locale.ROOT, "%-16s %-9s %8.1f %8s %8s %9s %9s", name, verdict, seconds, "-", "-", "-", "-");
    }
    return String.format(Locale.ROOT, "%-16s %-9s %8.1f %8d %8d %9.1f %9.1f", name, verdict, seconds,
        load.getLong("sent", 0L), load.getLong("errors", 0L), load.getDouble("p50", 0.0), load.getDouble("p99", 0.0));
  }
}
