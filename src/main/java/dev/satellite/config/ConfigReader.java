package dev.satellite.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values out of a parsed YAML tree, collecting one problem per bad key instead of stopping
 * at the first, so {@code check-config} can list everything that is wrong at once. Values given as
 * strings (environment variables, {@code --set}) are coerced to the wanted type.
 *
 * <p>Not thread-safe; used once, at start.
 */
public final class ConfigReader {

  private final Map<String, Object> tree;
  private final String prefix;
  private final List<String> problems;

  public ConfigReader(Map<String, Object> tree) {
    this(tree, "", new ArrayList<>());
  }

  private ConfigReader(Map<String, Object> tree, String prefix, List<String> problems) {
    this.tree = tree;
    this.prefix = prefix;
    this.problems = problems;
  }

  /** A reader over a nested map, sharing this reader's problem list. */
  public ConfigReader section(String name) {
    Object v = tree.get(name);
    if (v instanceof Map<?, ?> m) {
      return new ConfigReader(ConfigTree.asStringMap(m), key(name) + ".", problems);
    }
    if (v != null) {
      problem(name, "expected a section (a map of keys), got " + describe(v));
    }
    return new ConfigReader(Map.of(), key(name) + ".", problems);
  }

  /** The raw map of a nested section (for free-form settings), or an empty map with a problem recorded. */
  public Map<String, Object> rawSection(String name) {
    Object v = tree.get(name);
    if (v instanceof Map<?, ?> m) {
      return ConfigTree.asStringMap(m);
    }
    if (v != null) {
      problem(name, "expected a section (a map of keys), got " + describe(v));
    }
    return Map.of();
  }

  /** Readers over the maps of a list, sharing this reader's problem list; keys are named {@code name[i].key}. */
  public List<ConfigReader> list(String name) {
    Object v = tree.get(name);
    List<ConfigReader> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof List<?> items)) {
      problem(name, "expected a list, got " + describe(v));
      return out;
    }
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      String itemKey = name + "[" + i + "]";
      if (item instanceof Map<?, ?> m) {
        out.add(new ConfigReader(ConfigTree.asStringMap(m), key(itemKey) + ".", problems));
      } else {
        problem(itemKey, "expected a map of keys, got " + describe(item));
      }
    }
    return out;
  }

  /** Reports every key of this section that is not among {@code known}. */
  public void onlyKeys(Set<String> known) {
    for (String k : tree.keySet()) {
      if (!known.contains(k)) {
        problem(k, "unknown key (known here: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  /** A list of plain values (a single value counts as a list of one); empty when absent. */
  public List<String> strings(String name) {
    Object v = tree.get(name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof List<?> l) {
      for (Object item : l) {
        if (item instanceof Map || item instanceof List) {
          problem(name, "expected a list of plain values");
          return new ArrayList<>();
        }
        out.add(String.valueOf(item));
      }
    } else if (v instanceof Map) {
      problem(name, "expected a list, got a section");
    } else {
      out.add(String.valueOf(v));
    }
    return out;
  }

  public boolean has(String name) {
    return tree.get(name) != null;
  }

  public String string(String name, String fallback) {
    Object v = tree.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      problem(name, "expected a text value, got " + describe(v));
      return fallback;
    }
    return String.valueOf(v);
  }

  public int integer(String name, int fallback, int min, int max) {
    Object v = tree.get(name);
    if (v == null) {
      return fallback;
    }
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && s.trim().matches("-?\\d{1,18}")) {
      n = Long.parseLong(s.trim());
    } else {
      problem(name, "expected a whole number, got " + describe(v));
      return fallback;
    }
    if (n < min || n > max) {
      problem(name, "must be between " + min + " and " + max + ", got " + n);
      return fallback;
    }
    return (int) n;
  }

  public int port(String name, int fallback) {
    return integer(name, fallback, 1, 65535);
  }

  public double decimal(String name, double fallback, double min, double max) {
    Object v = tree.get(name);
    if (v == null) {
      return fallback;
    }
    double d;
    if (v instanceof Number num) {
      d = num.doubleValue();
    } else {
      try {
        d = Double.parseDouble(String.valueOf(v).trim());
      } catch (NumberFormatException e) {
        problem(name, "expected a number, got " + describe(v));
        return fallback;
      }
    }
    if (!(d >= min && d <= max)) {
      problem(name, "must be between " + min + " and " + max + ", got " + d);
      return fallback;
    }
    return d;
  }

  public boolean bool(String name, boolean fallback) {
    Object v = tree.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
    if (s.equals("true")) {
      return true;
    }
    if (s.equals("false")) {
      return false;
    }
    problem(name, "expected true or false, got " + describe(v));
    return fallback;
  }

  public Duration duration(String name, Duration fallback) {
    return duration(name, fallback, Duration.ZERO);
  }

  public Duration duration(String name, Duration fallback, Duration min) {
    Object v = tree.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      problem(name, "expected a duration such as 250ms, 5s or 1m, got " + describe(v));
      return fallback;
    }
    try {
      Duration d = Durations.parse(String.valueOf(v));
      if (d.compareTo(min) < 0) {
        problem(name, "must be at least " + Durations.format(min) + ", got " + v);
        return fallback;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problem(name, e.getMessage());
      return fallback;
    }
  }

  /** A value out of a closed set, compared case-insensitively; returns the allowed spelling. */
  public String oneOf(String name, String fallback, List<String> allowed) {
    String v = string(name, fallback);
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    problem(name, "must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
    return fallback;
  }

  /** Records a problem with a key of this section. */
  public void problem(String name, String message) {
    problems.add(key(name) + ": " + message);
  }

  /** The full dotted key of a name in this section. */
  public String key(String name) {
    return prefix + name;
  }

  public List<String> problems() {
    return problems;
  }

  /** Throws a {@link ConfigException} listing every problem seen so far, if any. */
  public void throwIfProblems() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private static String describe(Object v) {
    if (v instanceof Map) {
      return "a section";
    }
    if (v instanceof List) {
      return "a list";
    }
    return "'" + v + "'";
  }
}
