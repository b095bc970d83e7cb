package dev.satellite.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads an experiment file (JSON, or YAML — by extension, else whichever parses) into an {@link Experiment},
 * checking it the way Chaos Toolkit's {@code chaos validate} does and also Satellite's own keys; every problem is
 * collected, each naming its field ({@code method[2].provider.url: must be a string}), and reported together in an
 * {@link ExperimentException}. Unknown top-level keys (Chaos Toolkit's {@code extensions}, {@code controls} …) are
 * kept in the raw document and otherwise ignored, as are activities' {@code controls}.
 *
 * <p>Thread-safe: each call works on its own state.
 */
public final class ExperimentParser {

  private static final Pattern PLACEHOLDERS = Pattern.compile("\\$\\{[_a-zA-Z][_a-zA-Z0-9]*}|\\$[_a-zA-Z][_a-zA-Z0-9]*");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private final List<String> problems = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private final List<String[]> refs = new ArrayList<>();

  private ExperimentParser() {
  }

  /** Reads and checks {@code file}. */
  public static Experiment parse(Path file) throws ExperimentException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ExperimentException(file + ": cannot be read: " + e.getMessage());
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Object doc = name.endsWith(".json") ? parseJson(text) : name.endsWith(".yaml") || name.endsWith(".yml")
        ? parseYaml(text) : parseEither(text);
    return parse(doc, file);
  }

  /** Checks a document already read (maps and lists as JSON/YAML give them). */
  public static Experiment parse(Object document, Path source) throws ExperimentException {
    return new ExperimentParser().experiment(document, source);
  }

  private static Object parseJson(String text) throws ExperimentException {
    try {
      return Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ExperimentException("(file): not valid JSON: " + e.getMessage());
    }
  }

  private static Object parseYaml(String text) throws ExperimentException {
    try {
      return Json.plain(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
    } catch (YAMLException e) {
      throw new ExperimentException("(file): not valid YAML: " + e.getMessage().replace('\n', ' '));
    }
  }

  private static Object parseEither(String text) throws ExperimentException {
    try {
      return parseJson(text);
    } catch (ExperimentException notJson) {
      return parseYaml(text);
    }
  }

  private Experiment experiment(Object document, Path source) throws ExperimentException {
    if (!(document instanceof Map<?, ?>)) {
      throw new ExperimentException("(file): an experiment is a mapping (JSON object) at the top level");
    }
    Map<String, Object> doc = normalize(document);
    String title = requiredString(doc, "title", "title");
    String description = requiredString(doc, "description", "description");
    List<String> tags = new ArrayList<>();
    if (doc.get("tags") != null) {
      if (doc.get("tags") instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) {
          if (l.get(i) instanceof String s && !s.isEmpty()) {
            tags.add(s);
          } else {
            problems.add("tags[" + i + "]: must be a non-empty string");
          }
        }
      } else {
        problems.add("tags: must be a list of strings");
      }
    }
    Map<String, Object> configuration = mapping(doc, "configuration", "configuration");
    configuration.forEach((k, v) -> {
      if (v instanceof Map<?, ?> m && "env".equals(m.get("type")) && !(m.get("key") instanceof String)) {
        problems.add("configuration." + k + ".key: must name an environment variable");
      }
    });
    Map<String, Object> secrets = mapping(doc, "secrets", "secrets");
    secrets.forEach((k, v) -> {
      if (!(v instanceof Map<?, ?>)) {
        problems.add("secrets." + k + ": must be a mapping of names to values");
      }
    });

    Optional<Hypothesis> hypothesis = Optional.empty();
    Object ssh = doc.get("steady-state-hypothesis");
    if (ssh != null) {
      if (ssh instanceof Map<?, ?> m) {
        Map<String, Object> h = normalize(m);
        String htitle = requiredString(h, "title", "steady-state-hypothesis.title");
        List<Activity> probes = activities(h.get("probes"), "steady-state-hypothesis.probes", true);
        hypothesis = Optional.of(new Hypothesis(htitle, probes));
      } else {
        problems.add("steady-state-hypothesis: must be a mapping");
      }
    }
    List<Activity> method = List.of();
    if (!doc.containsKey("method")) {
      problems.add("method: is required (it may be an empty list)");
    } else {
      method = activities(doc.get("method"), "method", false);
    }
    List<Activity> rollbacks = activities(doc.get("rollbacks"), "rollbacks", false);

    Optional<ClusterSpec> cluster = Optional.ofNullable(doc.get("cluster")).map(c -> cluster(c));
    // the load's numbers may name configuration entries (a run made shorter through the environment, say); its
    // routes are substituted when the run starts, once the runner's own values (the nodes' URLs) are known
    Bindings known = ExperimentConfiguration.configurationOnly(configuration, System.getenv());
    Optional<LoadSpec> load = Optional.ofNullable(doc.get("load")).map(l -> load(numbersOf(l, known), cluster.isPresent()));
    Optional<Long> seed = Optional.empty();
    if (doc.get("seed") != null) {
      if (doc.get("seed") instanceof Number n && isIntegral(n) && n.longValue() >= 0) {
        seed = Optional.of(n.longValue());
      } else {
        problems.add("seed: must be a whole number >= 0");
      }
    }
    boolean safeguard = false;
    if (doc.get("safeguard") != null) {
      if (doc.get("safeguard") instanceof Boolean b) {
        safeguard = b;
      } else {
        problems.add("safeguard: must be true or false");
      }
    }
    if (safeguard && hypothesis.map(h -> h.probes().isEmpty()).orElse(true)) {
      problems.add("safeguard: needs a steady-state-hypothesis with probes to check");
    }
    for (String[] ref : refs) {
      if (!names.contains(ref[1])) {
        problems.add(ref[0] + ".ref: no activity named '" + ref[1] + "' in the experiment");
      }
    }
    if (!problems.isEmpty()) {
      throw new ExperimentException(problems);
    }
    return new Experiment(title, description, List.copyOf(tags), configuration, secrets, hypothesis, method,
        rollbacks, cluster, load, seed, safeguard, doc, source);
  }

  private List<Activity> activities(Object value, String where, boolean needTolerance) {
    List<Activity> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof List<?> list)) {
      problems.add(where + ": must be a list of activities");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      Activity a = activity(list.get(i), where + "[" + i + "]", needTolerance);
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  /** One activity, or null when it has problems (they are recorded). */
  Activity activity(Object value, String where, boolean needTolerance) {
    if (!(value instanceof Map<?, ?> m) || m.isEmpty()) {
      problems.add(where + ": must be a non-empty mapping (an activity)");
      return null;
    }
    int before = problems.size();
    Map<String, Object> a = normalize(m);
    if (a.containsKey("ref")) {
      if (a.get("ref") instanceof String ref && !ref.isEmpty()) {
        refs.add(new String[] {where, ref});
        return new Activity(null, null, null, null, Pauses.NONE, false, ref, a);
      }
      problems.add(where + ".ref: must be a non-empty string");
      return null;
    }
    Object type = a.get("type");
    if (!"probe".equals(type) && !"action".equals(type)) {
      problems.add(where + ".type: must be probe or action" + (type == null ? "" : ", got " + type));
    }
    String name = requiredString(a, "name", where + ".name");
    if (name != null) {
      names.add(name);
    }
    Provider provider = null;
    if (!(a.get("provider") instanceof Map<?, ?> p)) {
      problems.add(where + ".provider: is required (a mapping with a type: http or process)");
    } else {
      provider = provider(normalize(p), where + ".provider");
    }
    if (a.get("timeout") != null && !(a.get("timeout") instanceof Number)) {
      problems.add(where + ".timeout: must be a number");
    }
    Pauses pauses = Pauses.NONE;
    if (a.get("pauses") != null) {
      if (a.get("pauses") instanceof Map<?, ?> pm) {
        pauses = new Pauses(pause(pm.get("before"), where + ".pauses.before"), pause(pm.get("after"), where + ".pauses.after"));
      } else {
        problems.add(where + ".pauses: must be a mapping with before and/or after");
      }
    }
    boolean background = false;
    if (a.containsKey("background")) {
      if (a.get("background") instanceof Boolean b) {
        background = b;
      } else {
        problems.add(where + ".background: must be true or false");
      }
    }
    Tolerance tolerance = null;
    if (a.containsKey("tolerance")) {
      tolerance = tolerance(a.get("tolerance"), where + ".tolerance");
    } else if (needTolerance) {
      problems.add(where + ".tolerance: a hypothesis probe needs a tolerance");
    }
    if (problems.size() > before) {
      return null;
    }
    return new Activity((String) type, name, provider, tolerance, pauses, background, null, a);
  }

  private Object pause(Object v, String where) {
    if (v == null || v instanceof Number) {
      return v;
    }
    if (v instanceof String s && s.startsWith("${") && s.endsWith("}")) {
      return s;
    }
    problems.add(where + ": must be a number of seconds or a ${name} placeholder");
    return null;
  }

  private Provider provider(Map<String, Object> p, String where) {
    Object type = p.get("type");
    if ("http".equals(type)) {
      Object url = p.get("url");
      if (!(url instanceof String s) || s.isEmpty()) {
        problems.add(where + ".url: must be a non-empty string");
      }
      Object method = p.getOrDefault("method", Provider.DEFAULT_METHOD);
      if (!(method instanceof String)) {
        problems.add(where + ".method: must be a string");
        method = Provider.DEFAULT_METHOD;
      }
      Map<String, Object> headers = new LinkedHashMap<>();
      if (p.get("headers") != null) {
        if (p.get("headers") instanceof Map<?, ?> h) {
          headers = normalize(h);
        } else {
          problems.add(where + ".headers: must be a mapping of names to values");
        }
      }
      Object timeout = p.get("timeout");
      if (timeout != null && !(timeout instanceof Number) && !(timeout instanceof String s && s.startsWith("$"))
          && !(timeout instanceof List<?> l && l.size() == 2 && l.stream().allMatch(x -> x instanceof Number))) {
        problems.add(where + ".timeout: must be seconds (a number) or [connect, read]");
      }
      boolean verify = true;
      if (p.containsKey("verify_tls")) {
        if (p.get("verify_tls") instanceof Boolean b) {
          verify = b;
        } else {
          problems.add(where + ".verify_tls: must be true or false");
        }
      }
      Object expected = p.get("expected_status");
      if (expected != null && !(expected instanceof Integer)
          && !(expected instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof Integer))) {
        problems.add(where + ".expected_status: must be a status code or a list of them");
      }
      return new Provider.Http(url, ((String) method).toUpperCase(Locale.ROOT), headers, p.get("arguments"), timeout,
          verify, expected);
    }
    if ("process".equals(type)) {
      Object path = p.get("path");
      if (!(path instanceof String s) || s.isEmpty()) {
        problems.add(where + ".path: must be a non-empty string");
      } else if (ProcessProviderRunner.resolve(s).isEmpty()) {
        problems.add(where + ".path: '" + s + "' is not an executable file nor a command on the PATH");
      }
      Object args = p.get("arguments");
      if (args != null && !(args instanceof String) && !(args instanceof List<?>) && !(args instanceof Map<?, ?>)) {
        problems.add(where + ".arguments: must be a string, a list or a mapping");
      }
      Double timeout = null;
      if (p.get("timeout") != null) {
        if (p.get("timeout") instanceof Number n) {
          timeout = n.doubleValue();
        } else {
          problems.add(where + ".timeout: must be a number of seconds");
        }
      }
      return new Provider.Process(path instanceof String s ? s : null, args, timeout);
    }
    if ("python".equals(type)) {
      problems.add(where + ".type: python providers are not supported by Satellite's runner (use http or process)");
    } else {
      problems.add(where + ".type: must be http or process" + (type == null ? "" : ", got " + type));
    }
    return null;
  }

  private Tolerance tolerance(Object t, String where) {
    if (t instanceof Boolean || t instanceof Number || t instanceof String) {
      return new Tolerance.Value(t);
    }
    if (t instanceof List<?> l) {
      return new Tolerance.Values(new ArrayList<>(l));
    }
    if (!(t instanceof Map<?, ?> m)) {
      problems.add(where + ": must be a value, a list, or a mapping with a type");
      return null;
    }
    Map<String, Object> d = normalize(m);
    Object type = d.get("type");
    String target = null;
    if (d.get("target") != null) {
      if (d.get("target") instanceof String s) {
        target = s;
      } else {
        problems.add(where + ".target: must be a string (a key of the output: status, body, stdout …)");
      }
    }
    switch (String.valueOf(type)) {
      case "regex" -> {
        if (!(d.get("pattern") instanceof String p)) {
          problems.add(where + ".pattern: must be a string (a regular expression)");
          return null;
        }
        try {
          return new Tolerance.Regex(Pattern.compile(p), p, target);
        } catch (PatternSyntaxException e) {
          // a ${name} placeholder is not a valid Java regex: check the pattern without them, compile it when it runs
          String bare = PLACEHOLDERS.matcher(p).replaceAll("");
          if (!bare.equals(p)) {
            try {
              Pattern.compile(bare);
              return new Tolerance.Regex(null, p, target);
            } catch (PatternSyntaxException stillBad) {
              // reported below
            }
          }
          problems.add(where + ".pattern: not a valid regular expression: " + e.getDescription());
          return null;
        }
      }
      case "jsonpath" -> {
        if (!(d.get("path") instanceof String p) || p.isBlank()) {
          problems.add(where + ".path: must be a non-empty string (a JSON path)");
          return null;
        }
        Integer count = null;
        if (d.get("count") != null) {
          if (d.get("count") instanceof Integer c) {
            count = c;
          } else {
            problems.add(where + ".count: must be a whole number");
          }
        }
        try {
          return new Tolerance.JsonPath(JsonPath.parse(p), p, d.containsKey("expect"), d.get("expect"), count, target);
        } catch (IllegalArgumentException e) {
          problems.add(where + ".path: " + e.getMessage());
          return null;
        }
      }
      case "range" -> {
        if (!(d.get("range") instanceof List<?> r) || r.size() != 2 || !(r.get(0) instanceof Number)
            || !(r.get(1) instanceof Number)) {
          problems.add(where + ".range: must be [low, high], two numbers");
          return null;
        }
        return new Tolerance.Range((Number) r.get(0), (Number) r.get(1), target);
      }
      case "probe" -> {
        Activity a = activity(d, where, false);
        return a == null ? null : new Tolerance.Probe(a);
      }
      case "percent" -> {
        JsonPath path = null;
        if (d.get("path") != null) {
          try {
            path = JsonPath.parse(String.valueOf(d.get("path")));
          } catch (IllegalArgumentException e) {
            problems.add(where + ".path: " + e.getMessage());
          }
        }
        Double min = percentBound(d.get("min"), where + ".min");
        Double max = percentBound(d.get("max"), where + ".max");
        if (min == null && max == null) {
          problems.add(where + ": a percent tolerance needs min and/or max (percent, 0-100)");
        }
        return new Tolerance.Percent(target, path, min, max);
      }
      default -> {
        problems.add(where + ".type: must be regex, jsonpath, range, probe or percent" + (type == null ? "" : ", got " + type));
        return null;
      }
    }
  }

  private Double percentBound(Object v, String where) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 100) {
      return n.doubleValue();
    }
    problems.add(where + ": must be a number between 0 and 100 (percent)");
    return null;
  }

  private ClusterSpec cluster(Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      problems.add("cluster: must be a mapping {nodes, config, set}");
      return null;
    }
    Map<String, Object> c = normalize(m);
    int nodes = 1;
    if (c.get("nodes") != null) {
      if (c.get("nodes") instanceof Integer n && n >= 1 && n <= ClusterSpec.MAX_NODES) {
        nodes = n;
      } else {
        problems.add("cluster.nodes: must be a whole number from 1 to " + ClusterSpec.MAX_NODES);
      }
    }
    Optional<Path> config = Optional.empty();
    if (c.get("config") != null) {
      if (c.get("config") instanceof String s && !s.isEmpty()) {
        config = Optional.of(Path.of(s));
      } else {
        problems.add("cluster.config: must be a path (a string)");
      }
    }
    Map<String, String> set = new LinkedHashMap<>();
    if (c.get("set") != null) {
      if (c.get("set") instanceof Map<?, ?> s) {
        s.forEach((k, v) -> {
          if (v instanceof Map<?, ?> || v instanceof List<?> || v == null) {
            problems.add("cluster.set." + k + ": must be a single value");
          } else {
            set.put(String.valueOf(k), String.valueOf(v));
          }
        });
      } else {
        problems.add("cluster.set: must be a mapping of config keys to values");
      }
    }
    for (String key : c.keySet()) {
      if (!List.of("nodes", "config", "set").contains(key)) {
        problems.add("cluster." + key + ": unknown key (nodes, config, set)");
      }
    }
    return new ClusterSpec(nodes, config, set);
  }

  private LoadSpec load(Object value, boolean hasCluster) {
    if (!(value instanceof Map<?, ?> m)) {
      problems.add("load: must be a mapping {rate, duration, routes, connections, timeout}");
      return null;
    }
    Map<String, Object> l = normalize(m);
    double rate = 0;
    if (l.get("rate") instanceof Number n && n.doubleValue() > 0) {
      rate = n.doubleValue();
    } else {
      problems.add("load.rate: must be a number of requests per second > 0");
    }
    Duration duration = duration(l.get("duration"), "load.duration", true);
    List<String> routes = new ArrayList<>();
    if (l.get("routes") instanceof List<?> r && !r.isEmpty()) {
      for (int i = 0; i < r.size(); i++) {
        if (r.get(i) instanceof String s && (s.startsWith("/") || s.startsWith("http://") || s.startsWith("https://")
            || s.startsWith("${"))) { // a placeholder: a URL the runner knows once the cluster runs (${node1_url}/hello)
          if (s.startsWith("/") && !hasCluster) {
            problems.add("load.routes[" + i + "]: a path needs a cluster to send to; write an absolute URL");
          }
          routes.add(s);
        } else {
          problems.add("load.routes[" + i + "]: must be a path (/hello), an absolute http URL, or one that starts with a"
              + " placeholder (${node1_url}/hello)");
        }
      }
    } else {
      problems.add("load.routes: must be a non-empty list of paths or URLs");
    }
    int connections = LoadSpec.DEFAULT_CONNECTIONS;
    if (l.get("connections") != null) {
      if (l.get("connections") instanceof Integer c && c >= 1) {
        connections = c;
      } else {
        problems.add("load.connections: must be a whole number >= 1");
      }
    }
    Duration timeout = l.get("timeout") == null ? LoadSpec.DEFAULT_TIMEOUT : duration(l.get("timeout"), "load.timeout", true);
    Duration warmup = l.get("warmup") == null ? Duration.ZERO : duration(l.get("warmup"), "load.warmup", false);
    for (String key : l.keySet()) {
      if (!List.of("rate", "duration", "routes", "connections", "timeout", "warmup").contains(key)) {
        problems.add("load." + key + ": unknown key (rate, duration, routes, connections, timeout, warmup)");
      }
    }
    return new LoadSpec(rate, duration == null ? Duration.ZERO : duration, List.copyOf(routes), connections,
        timeout == null ? LoadSpec.DEFAULT_TIMEOUT : timeout, warmup == null ? Duration.ZERO : warmup);
  }

  /** Seconds as a number, or a string like 500ms, 10s, 1m, 1h. */
  private static Object numbersOf(Object load, Bindings known) {
    if (!(load instanceof Map<?, ?> m)) {
      return load;
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), "routes".equals(k) ? v : known.substitute(v)));
    return out;
  }

  private Duration duration(Object v, String where, boolean positive) {
    Duration d = null;
    if (v instanceof Number n) {
      d = Duration.ofNanos((long) (n.doubleValue() * 1e9));
    } else if (v instanceof String s) {
      var m = DURATION.matcher(s.strip());
      if (m.matches()) {
        double x = Double.parseDouble(m.group(1));
        double ms = switch (m.group(2)) {
          case "ms" -> x;
          case "s" -> x * 1000;
          case "m" -> x * 60_000;
          default -> x * 3_600_000;
        };
        d = Duration.ofNanos((long) (ms * 1e6));
      }
    }
    if (d == null || positive && (d.isZero() || d.isNegative())) {
      problems.add(where + ": must be a duration > 0 (seconds, or 500ms, 10s, 1m)");
      return null;
    }
    return d;
  }

  private String requiredString(Map<String, Object> m, String key, String where) {
    Object v = m.get(key);
    if (v instanceof String s && !s.isEmpty()) {
      return s;
    }
    problems.add(where + (v == null ? ": is required (a non-empty string)" : ": must be a non-empty string"));
    return null;
  }

  private Map<String, Object> mapping(Map<String, Object> m, String key, String where) {
    Object v = m.get(key);
    if (v == null) {
      return new LinkedHashMap<>();
    }
    if (v instanceof Map<?, ?> map) {
      return normalize(map);
    }
    problems.add(where + ": must be a mapping");
    return new LinkedHashMap<>();
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Integer || n instanceof Long || n instanceof java.math.BigInteger && n.toString().length() < 19;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> normalize(Object m) {
    return (Map<String, Object>) Json.plain(m);
  }
}
