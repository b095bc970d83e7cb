package dev.satellite.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of a side-by-side run and what is computed from them: per-round ratios between servers
 * measured in the same round, their medians, and the Markdown table, JSON and SVG chart written from them.
 *
 * <p>Not thread-safe; filled by one harness thread.
 */
public final class BenchReport {

  /** Results per scenario, per server, one per round (null for a failed or skipped run). */
  private final Map<String, Map<String, List<WrkResult>>> results = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, String> extras = new LinkedHashMap<>();

  public void add(String scenario, String server, WrkResult result) {
    results.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).computeIfAbsent(server, s -> new ArrayList<>()).add(result);
  }

  public void note(String line) {
    notes.add(line);
  }

  public void extra(String name, String value) {
    extras.put(name, value);
  }

  public List<WrkResult> runs(String scenario, String server) {
    return results.getOrDefault(scenario, Map.of()).getOrDefault(server, List.of());
  }

  /** {@code a/b} req/s per round, for the rounds where both ran and neither failed. */
  public List<Double> ratios(String scenario, String a, String b) {
    List<WrkResult> ra = runs(scenario, a);
    List<WrkResult> rb = runs(scenario, b);
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
      WrkResult x = ra.get(i);
      WrkResult y = rb.get(i);
      if (x != null && y != null && !x.failed() && !y.failed()) {
        out.add(x.rps() / y.rps());
      }
    }
    return out;
  }

  public static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Median over the successful rounds of one measure of a server. */
  public double median(String scenario, String server, java.util.function.ToDoubleFunction<WrkResult> measure) {
    List<Double> values = new ArrayList<>();
    for (WrkResult r : runs(scenario, server)) {
      if (r != null && !r.failed()) {
        values.add(measure.applyAsDouble(r));
      }
    }
    return median(values);
  }

  public long failedRuns(String scenario, String server) {
    return runs(scenario, server).stream().filter(r -> r == null || r.failed()).count();
  }

  /** A Markdown table per scenario: median req/s, p50, p99, failed rounds; then the ratios asked for. */
  public String markdown(List<Ratio> ratios) {
    StringBuilder md = new StringBuilder();
    for (var scenario : results.entrySet()) {
      md.append("### ").append(scenario.getKey()).append("\n\n");
      md.append("| server | median req/s (2xx) | median p50 ms | median p99 ms | failed rounds |\n|---|---|---|---|---|\n");
      for (String server : scenario.getValue().keySet()) {
        md.append(String.format(Locale.ROOT, "| %s | %.0f | %.3f | %.3f | %d of %d |%n", server,
            median(scenario.getKey(), server, WrkResult::rps), median(scenario.getKey(), server, WrkResult::p50Ms),
            median(scenario.getKey(), server, WrkResult::p99Ms), failedRuns(scenario.getKey(), server),
            runs(scenario.getKey(), server).size()));
      }
      md.append('\n');
    }
    md.append("### Ratios (median of per-round ratios)\n\n| ratio | per round | median | target | met |\n|---|---|---|---|---|\n");
    for (Ratio r : ratios) {
      List<Double> per = ratios(r.scenario(), r.a(), r.b());
      double m = median(per);
      boolean informational = Double.isNaN(r.target());
      md.append(String.format(Locale.ROOT, "| %s / %s (%s) | %s | %.3f | %s | %s |%n", r.a(), r.b(), r.scenario(),
          per.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList(), m,
          informational ? "—" : String.format(Locale.ROOT, "≥ %.1f", r.target()),
          Double.isNaN(m) ? "no data" : informational ? "—" : m >= r.target() ? "yes" : "no"));
    }
    if (!extras.isEmpty()) {
      md.append("\n### Other figures\n\n");
      extras.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    }
    if (!notes.isEmpty()) {
      md.append("\n### Notes\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  public JsonObject json(List<Ratio> ratios) {
    JsonObject out = new JsonObject();
    JsonObject scenarios = new JsonObject();
    results.forEach((scenario, servers) -> {
      JsonObject s = new JsonObject();
      servers.forEach((server, runs) -> {
        JsonArray rounds = new JsonArray();
        for (WrkResult r : runs) {
          rounds.add(r == null ? null : new JsonObject().put("requests", r.requests()).put("seconds", r.seconds())
              .put("non2xx", r.non2xx()).put("socketErrors", r.socketErrors()).put("rps", r.rps())
              .put("p50Ms", r.p50Ms()).put("p99Ms", r.p99Ms()).put("failed", r.failed()));
        }
        s.put(server, new JsonObject().put("rounds", rounds).put("medianRps", median(scenario, server, WrkResult::rps)));
      });
      scenarios.put(scenario, s);
    });
    JsonArray ratioJson = new JsonArray();
    for (Ratio r : ratios) {
      List<Double> per = ratios(r.scenario(), r.a(), r.b());
      ratioJson.add(new JsonObject().put("scenario", r.scenario()).put("a", r.a()).put("b", r.b())
          .put("perRound", new JsonArray(new ArrayList<>(per))).put("median", median(per)).put("target", r.target()));
    }
    return out.put("scenarios", scenarios).put("ratios", ratioJson).put("extras", new JsonObject(new LinkedHashMap<>(extras)))
        .put("notes", new JsonArray(new ArrayList<>(notes)));
  }

  /** A horizontal bar chart of the median req/s of every server in one scenario. */
  public String svg(String scenario) {
    Map<String, List<WrkResult>> servers = results.getOrDefault(scenario, Map.of());
    double max = 1;
    for (String s : servers.keySet()) {
      double v = median(scenario, s, WrkResult::rps);
      if (!Double.isNaN(v)) {
        max = Math.max(max, v);
      }
    }
    int rowHeight = 28;
    int width = 720;
    int labelWidth = 160;
    int height = 50 + rowHeight * servers.size();
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">%n",
        width, height));
    svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\">%s: median 2xx req/s</text>%n", escape(scenario)));
    int y = 40;
    for (String s : servers.keySet()) {
      double v = median(scenario, s, WrkResult::rps);
      double w = Double.isNaN(v) ? 0 : (width - labelWidth - 110) * v / max;
      svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 17, escape(s)));
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>%n", labelWidth, y + 3, w,
          s.startsWith("satellite") ? "#2b6cb0" : "#a0aec0"));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", labelWidth + w + 6, y + 17,
          Double.isNaN(v) ? "no data" : String.format(Locale.ROOT, "%.0f", v)));
      y += rowHeight;
    }
    return svg.append("</svg>\n").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** A ratio the report computes: {@code a / b} in {@code scenario}, with its target (NaN: for information only). */
  public record Ratio(String scenario, String a, String b, double target) {
  }
}
