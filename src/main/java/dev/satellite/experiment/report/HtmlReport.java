package dev.satellite.experiment.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a chaos journal as one self-contained HTML file that opens offline: the verdict on top, load
 * (throughput, error rate, p50/p99) over time with the experiment's markers as shaded bands, node membership
 * as one state strip per node, and the table of activities. Charts are drawn by uPlot, inlined from its
 * WebJar; the journal itself is embedded as JSON in a {@code <script type="application/json" id="journal">}
 * element and drawn by the page (journal strings reach the page only as text, never as markup).
 *
 * <p>The page exposes {@code window.satelliteReport}: {@code charts} (the uPlot instances {@code throughput},
 * {@code errorRate}, {@code latency}, {@code membership}), {@code bands} (the markers), {@code bandsDrawn}
 * (per chart, bands drawn at the last redraw), {@code membership} (state segments), {@code activities} (table
 * rows), {@code errors} (uncaught page errors) and {@code ready}.
 *
 * <p>Stateless: thread-safe.
 */
public final class HtmlReport {

  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final String OWN = "dev/satellite/experiment/report/";
  private static final Pattern SLOT = Pattern.compile("\\{\\{([A-Z_]+)}}");

  private HtmlReport() {
  }

  /** One self-contained HTML file (no network needed to open it) drawing the journal. */
  public static String render(JsonObject journal) {
    Objects.requireNonNull(journal, "journal");
    Map<String, String> slots = Map.of(
        "TITLE", escapeHtml(title(journal)),
        "UPLOT_CSS", styleText(resource(UPLOT + "uPlot.min.css")),
        "REPORT_CSS", styleText(resource(OWN + "report.css")),
        "UPLOT_JS", scriptText(resource(UPLOT + "uPlot.iife.min.js")),
        "REPORT_JS", scriptText(resource(OWN + "report.js")),
        "JOURNAL", ScriptSafeJson.encode(journal));
    // one pass over the template: text put into a slot is never searched for slots again
    Matcher m = SLOT.matcher(resource(OWN + "report.html"));
    StringBuilder html = new StringBuilder(200_000);
    while (m.find()) {
      String value = slots.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("report template names an unknown slot " + m.group());
      }
      m.appendReplacement(html, Matcher.quoteReplacement(value));
    }
    m.appendTail(html);
    return html.toString();
  }

  /** Writes {@link #render(JsonObject)} to {@code file} (UTF-8), creating its parent directories. */
  public static void write(JsonObject journal, Path file) throws IOException {
    String html = render(journal);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  private static String title(JsonObject journal) {
    Object experiment = journal.getValue("experiment");
    String title = experiment instanceof JsonObject e && e.getValue("title") instanceof String t
        ? t : "Chaos experiment";
    return title + " — Satellite chaos report";
  }

  static String escapeHtml(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Inline script text that cannot end its element early ({@code <\/script} inside a JS string reads the same). */
  private static String scriptText(String js) {
    return js.replaceAll("(?i)</(script)", "<\\\\/$1");
  }

  private static String styleText(String css) {
    return css.replaceAll("(?i)</(style)", "<\\\\/$1");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " (is the uPlot WebJar on the class path?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }
}
