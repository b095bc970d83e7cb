package dev.satellite.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The computing parts of the side-by-side harness: reading wrk, ratios, medians, the table and the chart. */
class BenchHarnessTest {

  private static final String WRK = """
      Running 5s test @ http://127.0.0.1:18380/hello
        1 threads and 64 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     1.25ms  340.11us   9.87ms   90.12%
          Req/Sec    51.20k     2.10k   55.00k    72.00%
        Latency Distribution
           50%  1.19ms
           75%  1.31ms
           90%  1.52ms
           99%    2.41ms
        254000 requests in 5.00s, 30.52MB read
        Non-2xx or 3xx responses: 1000
      Requests/sec:  50800.00
      Transfer/sec:      6.10MB
      """;

  @Test
  void readsWrkOutputCountingOnly2xx() {
    WrkResult r = WrkResult.parse(WRK);
    assertThat(r.requests()).isEqualTo(254_000);
    assertThat(r.seconds()).isEqualTo(5.0);
    assertThat(r.non2xx()).isEqualTo(1000);
    assertThat(r.socketErrors()).isZero();
    assertThat(r.rps()).isEqualTo(50_600.0);
    assertThat(r.p50Ms()).isEqualTo(1.19);
    assertThat(r.p99Ms()).isEqualTo(2.41);
    assertThat(r.failed()).as("0.39%% non-2xx").isFalse();
  }

  @Test
  void moreThanOnePercentErrorsIsAFailedRun() {
    String withErrors = WRK.replace("Non-2xx or 3xx responses: 1000", "Socket errors: connect 0, read 2000, write 0, timeout 600");
    WrkResult r = WrkResult.parse(withErrors);
    assertThat(r.socketErrors()).isEqualTo(2600);
    assertThat(r.failed()).isTrue();
    assertThat(WrkResult.millis("750", "us")).isEqualTo(0.75);
    assertThat(WrkResult.millis("1.5", "s")).isEqualTo(1500.0);
  }

  private static WrkResult rps(double rps) {
    return new WrkResult((long) (rps * 5), 5.0, 0, 0, 1.0, 2.0);
  }

  @Test
  void ratiosArePerRoundAndSkipFailedRounds() {
    BenchReport report = new BenchReport();
    report.add("s", "a", rps(100));
    report.add("s", "b", rps(200));
    report.add("s", "a", rps(300));
    report.add("s", "b", rps(300));
    report.add("s", "a", null); // the server failed to start in round 3
    report.add("s", "b", rps(100));
    report.add("s", "a", rps(90));
    report.add("s", "b", new WrkResult(500, 5.0, 400, 0, 1, 2)); // a failed run does not count
    assertThat(report.ratios("s", "a", "b")).containsExactly(0.5, 1.0);
    assertThat(BenchReport.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(BenchReport.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    assertThat(BenchReport.median(List.of())).isNaN();
    assertThat(report.median("s", "a", WrkResult::rps)).isEqualTo(100.0);
    assertThat(report.failedRuns("s", "a")).isEqualTo(1);
  }

  @Test
  void theTableSaysWhetherEachTargetIsMet() {
    BenchReport report = new BenchReport();
    report.add("plain", "satellite", rps(90_000));
    report.add("plain", "go", rps(100_000));
    report.note("Express peer skipped: npm could not install express");
    String md = report.markdown(List.of(new BenchReport.Ratio("plain", "satellite", "go", 1.0),
        new BenchReport.Ratio("plain", "satellite", "node", 1.5), new BenchReport.Ratio("plain", "satellite", "go", Double.NaN)));
    assertThat(md).contains("| satellite | 90000 | 1.000 | 2.000 | 0 of 1 |")
        .contains("| satellite / go (plain) | [0.90] | 0.900 | ≥ 1.0 | no |")
        .contains("| satellite / node (plain) | [] | NaN | ≥ 1.5 | no data |")
        .contains("| satellite / go (plain) | [0.90] | 0.900 | — | — |")
        .contains("- Express peer skipped");
    assertThat(report.json(List.of()).getJsonObject("scenarios").getJsonObject("plain").getJsonObject("go")
        .getDouble("medianRps")).isEqualTo(100_000.0);
    String svg = report.svg("plain");
    assertThat(svg).startsWith("<svg").contains(">satellite<").contains(">90000<").endsWith("</svg>\n");
  }
}
