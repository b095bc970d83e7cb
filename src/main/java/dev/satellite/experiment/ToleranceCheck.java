package dev.satellite.experiment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Matches a probe's output against its {@link Tolerance} as Chaos Toolkit does: a number (or a list) is compared with
 * the {@code status} of an http/process output ({@code {status, headers, body}} / {@code {status, stdout, stderr}})
 * and with the output itself otherwise; {@code target} picks a key of the output ({@code body}, {@code stdout} …);
 * a string tolerance, a regex pattern, a JSON path and its {@code expect} are substituted from the configuration
 * first. Where Chaos Toolkit would raise (a regex on a non-string, a range on a non-number) the tolerance is simply
 * not met. Numbers compare by value (200 equals 200.0); a fractional number tolerance works like a whole one (Chaos
 * Toolkit ignores it).
 *
 * <p>Thread-safe: stateless; the probe runner given decides where a probe tolerance's activity runs.
 */
public final class ToleranceCheck {

  /** Runs a probe tolerance's activity; returns its output or throws when it failed. */
  @FunctionalInterface
  public interface ProbeRunner {
    Object run(Activity activity) throws ActivityFailed, InterruptedException;
  }

  private ToleranceCheck() {
  }

  public static boolean accepts(Tolerance tolerance, Object output, Bindings bindings, ProbeRunner probes)
      throws InterruptedException {
    if (tolerance instanceof Tolerance.Value v) {
      Object expected = v.expected() instanceof String s ? bindings.substitute(s) : v.expected();
      return value(expected, output);
    }
    if (tolerance instanceof Tolerance.Values v) {
      return values(v.values(), output);
    }
    if (tolerance instanceof Tolerance.Regex r) {
      Object pattern = bindings.substitute(r.rawPattern());
      Pattern p = pattern.equals(r.rawPattern()) && r.pattern() != null ? r.pattern() : Pattern.compile(String.valueOf(pattern));
      Object value = target(output, r.target());
      return value instanceof String s && p.matcher(s).find();
    }
    if (tolerance instanceof Tolerance.JsonPath j) {
      Object path = bindings.substitute(j.rawPath());
      JsonPath px = path.equals(j.rawPath()) ? j.path() : JsonPath.parse(String.valueOf(path));
      Object value = target(output, j.target());
      if (value instanceof String s) {
        try {
          value = Json.parse(s);
        } catch (IllegalArgumentException notJson) {
          // matched as the string itself
        }
      }
      List<Object> found = px.select(value);
      boolean result = !found.isEmpty();
      if (j.count() != null) {
        result = found.size() == j.count();
      }
      if (j.hasExpect()) {
        Object expect = bindings.substitute(j.expect());
        result = same(found, expect instanceof List<?> l ? l : List.of(expect == null ? NULL : expect));
      }
      return result;
    }
    if (tolerance instanceof Tolerance.Range r) {
      Optional<BigDecimal> d = decimal(target(output, r.target()));
      return d.isPresent() && decimal(r.low()).get().compareTo(d.get()) <= 0 && d.get().compareTo(decimal(r.high()).get()) <= 0;
    }
    if (tolerance instanceof Tolerance.Probe p) {
      try {
        Object out = probes.run(withValue(p.activity(), output));
        return truthy(out);
      } catch (ActivityFailed failed) {
        return false;
      }
    }
    if (tolerance instanceof Tolerance.Percent p) {
      Object value = target(output, p.target());
      if (p.path() != null) {
        if (value instanceof String s) {
          try {
            value = Json.parse(s);
          } catch (IllegalArgumentException notJson) {
            return false;
          }
        }
        List<Object> found = p.path().select(value);
        if (found.isEmpty()) {
          return false;
        }
        value = found.get(0);
      }
      Optional<BigDecimal> ratio = decimal(value);
      if (ratio.isEmpty()) {
        return false;
      }
      double percent = ratio.get().doubleValue() * 100;
      return (p.min() == null || percent >= p.min()) && (p.max() == null || percent <= p.max());
    }
    throw new IllegalArgumentException("unknown tolerance " + tolerance);
  }

  /** A null inside {@code [expect]}: List.of refuses null. */
  private static final Object NULL = new Object();

  private static boolean value(Object expected, Object output) {
    if (expected instanceof Boolean b) {
      return b.equals(output);
    }
    if (expected instanceof Number n) {
      if (output instanceof Map<?, ?> m && m.containsKey("status")) {
        return same(n, m.get("status"));
      }
      return same(n, output);
    }
    if (expected instanceof List<?> l) {
      return values(new ArrayList<>(l), output);
    }
    return same(expected, output);
  }

  private static boolean values(List<Object> values, Object output) {
    if (output instanceof Map<?, ?> m && m.containsKey("status")) {
      Object status = m.get("status");
      return values.stream().anyMatch(v -> same(v, status));
    }
    if (values.size() == 2) {
      Optional<BigDecimal> low = decimal(values.get(0));
      Optional<BigDecimal> high = decimal(values.get(1));
      Optional<BigDecimal> v = output instanceof Number ? decimal(output) : Optional.empty();
      return low.isPresent() && high.isPresent() && v.isPresent()
          && low.get().compareTo(v.get()) <= 0 && v.get().compareTo(high.get()) <= 0;
    }
    return values.stream().anyMatch(v -> same(v, output));
  }

  /** {@code output[target]} when the output is a mapping that has it, else the output itself (as Chaos Toolkit). */
  static Object target(Object output, String target) {
    if (target != null && output instanceof Map<?, ?> m && m.containsKey(target)) {
      return m.get(target);
    }
    return output;
  }

  private static Optional<BigDecimal> decimal(Object v) {
    if (v instanceof Boolean || v == null) {
      return Optional.empty();
    }
    try {
      if (v instanceof Number n) {
        return Optional.of(new BigDecimal(n.toString()));
      }
      if (v instanceof String s) {
        return Optional.of(new BigDecimal(s.strip()));
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Equality of plain JSON values, numbers by value. */
  static boolean same(Object a, Object b) {
    if (a == NULL) {
      a = null;
    }
    if (b == NULL) {
      b = null;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return decimal(x).get().compareTo(decimal(y).get()) == 0;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) {
        if (!same(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      return x.size() == y.size() && x.entrySet().stream().allMatch(e -> y.containsKey(e.getKey()) && same(e.getValue(), y.get(e.getKey())));
    }
    return a == null ? b == null : a.equals(b);
  }

  /** Python's truth of a value. */
  private static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (v instanceof List<?> l) {
      return !l.isEmpty();
    }
    return true;
  }

  /** The tolerance's activity with the probe's output as its {@code value} argument. */
  private static Activity withValue(Activity a, Object output) {
    Provider p = a.provider();
    if (p instanceof Provider.Http h) {
      Map<String, Object> args = h.arguments() instanceof Map<?, ?> m ? new LinkedHashMap<>(castMap(m)) : new LinkedHashMap<>();
      args.put("value", output);
      p = new Provider.Http(h.url(), h.method(), h.headers(), args, h.timeout(), h.verifyTls(), h.expectedStatus());
    } else if (p instanceof Provider.Process pr) {
      Object args = pr.arguments();
      if (args == null || args instanceof Map<?, ?>) {
        Map<String, Object> m = args == null ? new LinkedHashMap<>() : new LinkedHashMap<>(castMap((Map<?, ?>) args));
        m.put("value", io.vertx.core.json.Json.encode(Json.toVertx(output)));
        args = m;
      }
      p = new Provider.Process(pr.path(), args, pr.timeout());
    }
    return new Activity(a.type(), a.name(), p, null, Pauses.NONE, false, null, a.raw());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
