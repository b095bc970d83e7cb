package dev.satellite.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values {@code ${name}} placeholders resolve to: the experiment's configuration first, then its secrets (every
 * scope, in order), as Chaos Toolkit looks them up. Substitution follows Chaos Toolkit's: {@code $name} and
 * {@code ${name}} are replaced, {@code $$} is a dollar; a string that is exactly one placeholder takes the value with
 * its type (a number stays a number); a placeholder with no value is left as written; maps and lists are substituted
 * recursively, other values pass unchanged.
 *
 * <p>Thread-safe: immutable.
 */
public final class Bindings {

  private static final Pattern PLACEHOLDER = Pattern.compile(
      "\\$(?:(\\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\\{([_a-zA-Z][_a-zA-Z0-9]*)})");

  private final Map<String, Object> configuration;
  private final List<Map<String, Object>> secrets;

  public Bindings(Map<String, Object> configuration, Map<String, Map<String, Object>> secrets) {
    this.configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
    this.secrets = List.copyOf(secrets.values().stream().map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m))).toList());
  }

  public static Bindings empty() {
    return new Bindings(Map.of(), Map.of());
  }

  public Map<String, Object> configuration() {
    return configuration;
  }

  /** The value {@code name} is bound to, configuration first. */
  public Optional<Object> lookup(String name) {
    if (configuration.containsKey(name)) {
      return Optional.ofNullable(configuration.get(name));
    }
    for (Map<String, Object> scope : secrets) {
      if (scope.containsKey(name)) {
        return Optional.ofNullable(scope.get(name));
      }
    }
    return Optional.empty();
  }

  private boolean has(String name) {
    return configuration.containsKey(name) || secrets.stream().anyMatch(s -> s.containsKey(name));
  }

  /** {@code data} with its placeholders substituted (a new value; {@code data} is not changed). */
  public Object substitute(Object data) {
    if (data instanceof String s) {
      return substituteString(s);
    }
    if (data instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), substitute(v)));
      return out;
    }
    if (data instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(substitute(v)));
      return out;
    }
    return data;
  }

  private Object substituteString(String s) {
    Matcher whole = PLACEHOLDER.matcher(s);
    if (whole.matches() && whole.group(1) == null) {
      String name = whole.group(2) != null ? whole.group(2) : whole.group(3);
      if (has(name)) {
        return lookup(name).orElse(null);
      }
    }
    Matcher m = PLACEHOLDER.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) != null) {
        replacement = "$";
      } else {
        String name = m.group(2) != null ? m.group(2) : m.group(3);
        replacement = has(name) ? String.valueOf(lookup(name).orElse(null)) : m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** These bindings with {@code extra} configuration values added, winning over the file's (like Chaos Toolkit's --var). */
  public Bindings with(Map<String, Object> extra) {
    Map<String, Object> conf = new LinkedHashMap<>(configuration);
    conf.putAll(extra);
    Map<String, Map<String, Object>> sec = new LinkedHashMap<>();
    for (int i = 0; i < secrets.size(); i++) {
      sec.put("scope" + i, secrets.get(i));
    }
    return new Bindings(conf, sec);
  }
}
