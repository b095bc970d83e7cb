package dev.satellite.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code wrk --latency} run measured, read from its text output. Only 2xx answers count: requests
 * minus "Non-2xx or 3xx responses". A run with more than 1 % non-2xx answers or socket errors is a failed run,
 * not a fast one.
 *
 * @param requests     requests completed
 * @param seconds      the run's duration
 * @param non2xx       answers that were not 2xx (wrk counts 3xx with them)
 * @param socketErrors connect, read, write and timeout errors
 * @param p50Ms        median latency
 * @param p99Ms        99th percentile latency
 */
public record WrkResult(long requests, double seconds, long non2xx, long socketErrors, double p50Ms, double p99Ms) {

  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m),");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET = Pattern.compile(
      "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$",
      Pattern.MULTILINE);

  /** 2xx answers per second. */
  public double rps() {
    return (requests - non2xx) / seconds;
  }

  public boolean failed() {
    return requests == 0 || non2xx + socketErrors > requests / 100.0;
  }

  public static WrkResult parse(String output) {
    Matcher m = REQUESTS.matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException("not wrk output: " + output);
    }
    long requests = Long.parseLong(m.group(1));
    double seconds = millis(m.group(2), m.group(3)) / 1000.0;
    Matcher n = NON_2XX.matcher(output);
    long non2xx = n.find() ? Long.parseLong(n.group(1)) : 0;
    Matcher s = SOCKET.matcher(output);
    long socketErrors = 0;
    if (s.find()) {
      for (int i = 1; i <= 4; i++) {
        socketErrors += Long.parseLong(s.group(i));
      }
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher p = PERCENTILE.matcher(output);
    while (p.find()) {
      double ms = millis(p.group(2), p.group(3));
      if (p.group(1).equals("50")) {
        p50 = ms;
      } else {
        p99 = ms;
      }
    }
    return new WrkResult(requests, seconds, non2xx, socketErrors, p50, p99);
  }

  static double millis(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "us" -> v / 1000.0;
      case "ms" -> v;
      case "s" -> v * 1000.0;
      case "m" -> v * 60_000.0;
      default -> throw new IllegalArgumentException("unit " + unit);
    };
  }
}
