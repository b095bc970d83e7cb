package dev.satellite.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;

/**
 * {@code GET /metrics/{name}[?label=value…]}: one Prometheus metric as a bare JSON number — the sum of its series
 * whose labels match every query parameter ({@code label!=value}: every label but that) — so a probe can hold it to a range without parsing the exposition
 * format (Chaos Toolkit: {@code tolerance: {type: range, range: [1, 100], target: body}}). A name no series has
 * yet (a counter that never counted) is 0; the header {@code Satellite-Metric-Series} says how many series matched.
 *
 * <p>Thread-safe: reads the registry's scrape.
 */
final class MetricValue implements Handler<RoutingContext> {

  static final String SERIES_HEADER = "Satellite-Metric-Series";

  private final PrometheusMeterRegistry registry;

  MetricValue(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    MultiMap filters = ctx.queryParams();
    BigDecimal sum = BigDecimal.ZERO;
    int series = 0;
    for (String line : registry.scrape().split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(name)) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      int nameEnd = brace >= 0 && brace < space ? brace : line.indexOf(' ');
      if (nameEnd != name.length() || space < 0) {
        continue;
      }
      String labels = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}', space) + 1) : "";
      if (matches(labels, filters)) {
        String value = line.substring(space + 1);
        if (value.equals("NaN") || value.contains("Inf")) {
          continue;
        }
        sum = sum.add(new BigDecimal(value));
        series++;
      }
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(SERIES_HEADER, String.valueOf(series))
        .end(sum.stripTrailingZeros().toPlainString());
  }

  /** {@code label=value} must be there; {@code label!=value} (a parameter named {@code label!}) must not. */
  private static boolean matches(String labels, MultiMap filters) {
    for (var f : filters) {
      String key = f.getKey();
      boolean not = key.endsWith("!");
      boolean has = labels.contains((not ? key.substring(0, key.length() - 1) : key) + "=\"" + f.getValue() + "\"");
      if (has == not) {
        return false;
      }
    }
    return true;
  }
}
