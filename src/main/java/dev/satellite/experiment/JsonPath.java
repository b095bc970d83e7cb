package dev.satellite.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON path subset Satellite's tolerances understand: {@code $} (the root), {@code .name} and
 * {@code ['name']} (a member), {@code [n]} (an element, negative from the end), {@code [*]} and {@code .*} (every
 * member or element), {@code ..name} (a member at any depth). Filters and slices are not supported and are refused
 * when the path is parsed. Applied to values as parsed from JSON/YAML (maps, lists, strings, numbers, booleans).
 *
 * <p>Thread-safe: immutable.
 */
public final class JsonPath {

  private sealed interface Step {
  }

  private record Member(String name) implements Step {
  }

  private record Index(int index) implements Step {
  }

  private record Wildcard() implements Step {
  }

  private record Descend(String name) implements Step {
  }

  private final String text;
  private final List<Step> steps;

  private JsonPath(String text, List<Step> steps) {
    this.text = text;
    this.steps = steps;
  }

  /** Parses a path; throws IllegalArgumentException saying what is wrong. */
  public static JsonPath parse(String text) {
    String s = text.strip();
    if (!s.startsWith("$")) {
      throw new IllegalArgumentException("a JSON path starts with $");
    }
    List<Step> steps = new ArrayList<>();
    int i = 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (s.startsWith("..", i)) {
        int end = nameEnd(s, i + 2);
        if (end == i + 2) {
          throw new IllegalArgumentException("a name must follow '..' at " + i);
        }
        steps.add(new Descend(s.substring(i + 2, end)));
        i = end;
      } else if (c == '.') {
        if (s.startsWith(".*", i)) {
          steps.add(new Wildcard());
          i += 2;
          continue;
        }
        int end = nameEnd(s, i + 1);
        if (end == i + 1) {
          throw new IllegalArgumentException("a name must follow '.' at " + i);
        }
        steps.add(new Member(s.substring(i + 1, end)));
        i = end;
      } else if (c == '[') {
        int close = s.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '[' at " + i);
        }
        String inner = s.substring(i + 1, close).strip();
        if (inner.equals("*")) {
          steps.add(new Wildcard());
        } else if (inner.length() >= 2 && (inner.startsWith("'") && inner.endsWith("'")
            || inner.startsWith("\"") && inner.endsWith("\""))) {
          steps.add(new Member(inner.substring(1, inner.length() - 1)));
        } else {
          try {
            steps.add(new Index(Integer.parseInt(inner)));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unsupported selector [" + inner + "] (filters and slices are not supported)");
          }
        }
        i = close + 1;
      } else {
        throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
      }
    }
    return new JsonPath(s, List.copyOf(steps));
  }

  private static int nameEnd(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) != '.' && s.charAt(i) != '[') {
      i++;
    }
    return i;
  }

  /** Every value the path selects in {@code root}, in document order; empty when none. */
  public List<Object> select(Object root) {
    List<Object> current = new ArrayList<>();
    current.add(root);
    for (Step step : steps) {
      List<Object> next = new ArrayList<>();
      for (Object v : current) {
        apply(step, v, next);
      }
      current = next;
    }
    return current;
  }

  private static void apply(Step step, Object v, List<Object> out) {
    if (step instanceof Member m) {
      if (v instanceof Map<?, ?> map && map.containsKey(m.name())) {
        out.add(map.get(m.name()));
      }
    } else if (step instanceof Index ix) {
      if (v instanceof List<?> list) {
        int i = ix.index() < 0 ? list.size() + ix.index() : ix.index();
        if (i >= 0 && i < list.size()) {
          out.add(list.get(i));
        }
      }
    } else if (step instanceof Wildcard) {
      if (v instanceof Map<?, ?> map) {
        out.addAll(map.values());
      } else if (v instanceof List<?> list) {
        out.addAll(list);
      }
    } else if (step instanceof Descend d) {
      descend(d.name(), v, out);
    }
  }

  private static void descend(String name, Object v, List<Object> out) {
    if (v instanceof Map<?, ?> map) {
      if (map.containsKey(name)) {
        out.add(map.get(name));
      }
      map.values().forEach(child -> descend(name, child, out));
    } else if (v instanceof List<?> list) {
      list.forEach(child -> descend(name, child, out));
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
