package dev.satellite.actor;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context ({@code traceparent: 00-<trace-id>-<parent-id>-<flags>}): the trace a request belongs to
 * and the span that sent it. Each hop keeps the trace id and the flags and starts a span of its own
 * ({@link #child()}), whose id it passes on as the parent of the next hop — to actors over the bus, across nodes,
 * and to upstreams — so one request can be followed through every hop by its trace id.
 *
 * <p>Immutable; thread-safe.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId  16 lower-case hex digits, not all zero: the span of the hop that holds this context
 * @param flags   2 lower-case hex digits ({@code 01}: sampled)
 */
public record TraceContext(String traceId, String spanId, String flags) {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * The context a {@code traceparent} header names, or null when it is absent or malformed (the spec says: then
   * start a new trace). Version {@code 00} must have exactly four fields; a later version may carry more, which
   * are ignored; version {@code ff} is invalid.
   */
  public static TraceContext parse(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.length() < 55 || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') {
      return null;
    }
    String version = h.substring(0, 2);
    if (!hex(version) || version.equals("ff") || (version.equals("00") && h.length() != 55)
        || (h.length() > 55 && h.charAt(55) != '-')) {
      return null;
    }
    String traceId = h.substring(3, 35);
    String parentId = h.substring(36, 52);
    String flags = h.substring(53, 55);
    if (!hex(traceId) || !hex(parentId) || !hex(flags) || zeros(traceId) || zeros(parentId)) {
      return null;
    }
    return new TraceContext(traceId, parentId, flags);
  }

  /** A new trace, sampled, with a new span. */
  public static TraceContext start() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return new TraceContext(hex(r.nextLong() | 1L, r.nextLong()), hex(r.nextLong() | 1L), "01");
  }

  /** The same trace, continued by a new span (the next hop's parent). */
  public TraceContext child() {
    return new TraceContext(traceId, hex(ThreadLocalRandom.current().nextLong() | 1L), flags);
  }

  /** The {@code traceparent} header of this context. */
  public String header() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  @Override
  public String toString() {
    return header();
  }

  private static boolean hex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  private static String hex(long... words) {
    char[] out = new char[16 * words.length];
    for (int w = 0; w < words.length; w++) {
      long v = words[w];
      for (int i = 16 * w + 15; i >= 16 * w; i--) {
        out[i] = HEX[(int) (v & 0xf)];
        v >>>= 4;
      }
    }
    return new String(out);
  }
}
