package dev.satellite.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The untyped config tree (nested maps and lists as YAML gives them) and the operations on it that come
 * before binding: parsing, layering a file over the defaults, overriding single keys, redacting secrets.
 *
 * <p>Thread-safe: static functions; the maps they return are fresh copies.
 */
public final class ConfigTree {

  private static final Pattern SECRET = Pattern.compile("(?i).*(token|secret|password|credential).*");

  private ConfigTree() {
  }

  /** Parses YAML text into a tree; an empty document is an empty map. */
  public static Map<String, Object> parse(String yaml, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (YAMLException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s+", " ").trim();
      throw ConfigException.of(source, "not valid YAML: " + msg);
    }
    if (doc == null) {
      return new LinkedHashMap<>();
    }
    if (!(doc instanceof Map<?, ?> m)) {
      throw ConfigException.of(source, "expected a map of sections at the top level");
    }
    return deepCopy(asStringMap(m));
  }

  /** Parses one override value (environment or --set) the way YAML would read it in the file. */
  public static Object parseValue(String text) {
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      return text;
    }
  }

  /**
   * Lays {@code file} over {@code defaults}: maps merge key by key, anything else (scalars, lists)
   * replaces. A key the defaults do not have is reported as unknown.
   */
  public static Map<String, Object> overlay(Map<String, Object> defaults, Map<String, Object> file, List<String> problems) {
    Map<String, Object> out = deepCopy(defaults);
    overlayInto(out, file, "", problems);
    return out;
  }

  private static void overlayInto(Map<String, Object> base, Map<String, Object> top, String prefix, List<String> problems) {
    for (Map.Entry<String, Object> e : top.entrySet()) {
      String key = prefix + e.getKey();
      if (!base.containsKey(e.getKey())) {
        problems.add(key + ": unknown key" + knownKeysHint(base));
        continue;
      }
      Object current = base.get(e.getKey());
      Object value = e.getValue();
      if (current instanceof Map<?, ?> cm && value instanceof Map<?, ?> vm) {
        Map<String, Object> merged = asStringMap(cm);
        overlayInto(merged, asStringMap(vm), key + ".", problems);
        base.put(e.getKey(), merged);
      } else if (current instanceof Map && value != null) {
        problems.add(key + ": expected a section (a map of keys)");
      } else {
        base.put(e.getKey(), deepCopyValue(value));
      }
    }
  }

  private static String knownKeysHint(Map<String, Object> base) {
    return base.isEmpty() ? "" : " (known here: " + String.join(", ", base.keySet()) + ")";
  }

  /**
   * Every key that can be overridden one at a time: leaves and lists of the defaults tree, as dotted keys,
   * in file order.
   */
  public static List<String> overridableKeys(Map<String, Object> defaults) {
    List<String> keys = new ArrayList<>();
    collectKeys(defaults, "", keys);
    return keys;
  }

  private static void collectKeys(Map<String, Object> tree, String prefix, List<String> out) {
    for (Map.Entry<String, Object> e : tree.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> m) {
        collectKeys(asStringMap(m), prefix + e.getKey() + ".", out);
      } else {
        out.add(prefix + e.getKey());
      }
    }
  }

  /** {@code http.requestTimeout} → {@code SATELLITE_HTTP_REQUEST_TIMEOUT}. */
  public static String envName(String key) {
    StringBuilder sb = new StringBuilder("SATELLITE_");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }

  /**
   * {@code text} as a value of the type of {@code like} (Integer, Long, Double, Boolean) when it is one, else the
   * text itself.
   */
  public static Object typedLike(Object like, String text) {
    String t = text.trim();
    try {
      if (like instanceof Integer || like instanceof Long) {
        long n = Long.parseLong(t);
        return n == (int) n ? (Object) (int) n : (Object) n;
      }
      if (like instanceof Double || like instanceof Float) {
        return Double.parseDouble(t);
      }
    } catch (NumberFormatException e) {
      return text;
    }
    if (like instanceof Boolean && (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(t);
    }
    return text;
  }

  /** Reads a dotted key, or null. */
  public static Object get(Map<String, Object> tree, String key) {
    Object node = tree;
    for (String part : key.split("\\.")) {
      if (!(node instanceof Map<?, ?> m)) {
        return null;
      }
      node = m.get(part);
    }
    return node;
  }

  /** Sets a dotted key whose parent sections exist. */
  public static void set(Map<String, Object> tree, String key, Object value) {
    String[] parts = key.split("\\.");
    Map<String, Object> node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = node.get(parts[i]);
      if (!(next instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("no section " + parts[i] + " in " + key);
      }
      Map<String, Object> copy = asStringMap(m);
      node.put(parts[i], copy);
      node = copy;
    }
    node.put(parts[parts.length - 1], value);
  }

  /** A copy of the tree with every secret-looking non-empty value replaced by {@code "***"}. */
  public static Map<String, Object> redacted(Map<String, Object> tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : tree.entrySet()) {
      Object v = e.getValue();
      boolean secret = SECRET.matcher(e.getKey()).matches();
      if (v instanceof Map<?, ?> m) {
        out.put(e.getKey(), redacted(asStringMap(m)));
      } else if (v instanceof List<?> l && secret) {
        out.put(e.getKey(), l.stream().map(item -> "***").toList()); // a list of secrets: how many, not which
      } else if (v instanceof List<?> l) {
        List<Object> items = new ArrayList<>();
        for (Object item : l) {
          items.add(item instanceof Map<?, ?> im ? redacted(asStringMap(im)) : item);
        }
        out.put(e.getKey(), items);
      } else if (secret && v != null && !String.valueOf(v).isEmpty()) {
        out.put(e.getKey(), "***");
      } else {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  /** Views a YAML map as a map with string keys (YAML allows other key types; they are stringified). */
  public static Map<String, Object> asStringMap(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  public static Map<String, Object> deepCopy(Map<String, Object> tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    tree.forEach((k, v) -> out.put(k, deepCopyValue(v)));
    return out;
  }

  private static Object deepCopyValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return deepCopy(asStringMap(m));
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(item -> out.add(deepCopyValue(item)));
      return out;
    }
    return v;
  }
}
