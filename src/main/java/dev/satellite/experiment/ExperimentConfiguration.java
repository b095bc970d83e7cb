package dev.satellite.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves an experiment's {@code configuration} and {@code secrets} into {@link Bindings}, as Chaos Toolkit does:
 * a plain value is used as is; {@code {type: env, key, default?, env_var_type?}} reads the environment variable
 * {@code key} (its {@code default} when unset; unset without a default is an error) and converts it to
 * {@code env_var_type} ({@code str}, {@code int}, {@code float}, {@code bool}, {@code json}). Secrets are scopes of
 * such entries.
 *
 * <p>Thread-safe: stateless.
 */
public final class ExperimentConfiguration {

  private ExperimentConfiguration() {
  }

  public static Bindings resolve(Experiment experiment, Map<String, String> env) throws ExperimentException {
    List<String> problems = new ArrayList<>();
    Map<String, Object> conf = resolveScope(experiment.configuration(), env, "configuration", problems);
    Map<String, Map<String, Object>> secrets = new LinkedHashMap<>();
    experiment.secrets().forEach((scope, entries) -> {
      if (entries instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) m;
        secrets.put(scope, resolveScope(typed, env, "secrets." + scope, problems));
      } else {
        problems.add("secrets." + scope + ": must be a mapping of names to values");
      }
    });
    if (!problems.isEmpty()) {
      throw new ExperimentException(problems);
    }
    return new Bindings(conf, secrets);
  }

  /**
   * The configuration alone, resolved as far as it can be (entries in error are left out, to be reported when the
   * experiment runs): what Satellite's own top-level keys ({@code load}) may name, e.g. {@code duration: ${seconds}s}.
   */
  public static Bindings configurationOnly(Map<String, Object> configuration, Map<String, String> env) {
    return new Bindings(resolveScope(configuration, env, "configuration", new ArrayList<>()), Map.of());
  }

  private static Map<String, Object> resolveScope(Map<String, Object> scope, Map<String, String> env, String where,
      List<String> problems) {
    Map<String, Object> out = new LinkedHashMap<>();
    scope.forEach((key, value) -> {
      if (value instanceof Map<?, ?> m && "env".equals(m.get("type"))) {
        Object envKey = m.get("key");
        if (!(envKey instanceof String k) || k.isEmpty()) {
          problems.add(where + "." + key + ".key: must name an environment variable");
          return;
        }
        String raw = env.get(k);
        if (raw == null && !m.containsKey("default")) {
          problems.add(where + "." + key + ": environment variable " + k + " is not set and there is no default");
          return;
        }
        Object type = m.get("env_var_type");
        try {
          out.put(key, raw == null ? m.get("default") : convert(type == null ? null : String.valueOf(type), raw));
        } catch (RuntimeException e) {
          problems.add(where + "." + key + ": " + k + "=" + raw + " is not a valid " + type);
        }
      } else {
        out.put(key, value);
      }
    });
    return out;
  }

  static Object convert(String type, String value) {
    if (type == null || type.equals("str") || type.equals("string")) {
      return value;
    }
    return switch (type) {
      case "int", "integer" -> Long.parseLong(value.strip());
      case "float", "number" -> Double.parseDouble(value.strip());
      case "bool" -> !List.of("false", "0", "no").contains(value.toLowerCase());
      case "json" -> value.isEmpty() ? value : Json.parse(value);
      case "bytes" -> value;
      default -> throw new IllegalArgumentException("unknown env_var_type " + type);
    };
  }
}
