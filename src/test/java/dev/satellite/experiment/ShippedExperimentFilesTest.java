package dev.satellite.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped experiments are valid for Satellite's runner and stay inside what Chaos Toolkit's own validator
 * accepts without extra packages: only {@code http} and {@code process} providers, a process's {@code path} a
 * command on the PATH, every {@code {type: env}} entry with a default, no {@code jsonpath} or {@code percent}
 * tolerance. (Chaos Toolkit itself is not on the build's path; its {@code chaos validate} accepted every file when
 * they were written.)
 */
class ShippedExperimentFilesTest {

  @SuppressWarnings("unchecked")
  private static void walk(Object node, String where, List<String> problems) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> map = (Map<String, Object>) m;
      Object type = map.get("type");
      if (map.containsKey("provider") && map.get("provider") instanceof Map<?, ?> p) {
        Object provider = p.get("type");
        if (!"http".equals(provider) && !"process".equals(provider)) {
          problems.add(where + ": provider " + provider);
        }
        if ("process".equals(provider) && String.valueOf(p.get("path")).contains("/")) {
          problems.add(where + ": process path " + p.get("path") + " is not a command on the PATH");
        }
      }
      if ("jsonpath".equals(type) || "percent".equals(type)) {
        problems.add(where + ": a " + type + " tolerance");
      }
      map.forEach((k, v) -> walk(v, where + "." + k, problems));
    } else if (node instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        walk(l.get(i), where + "[" + i + "]", problems);
      }
    }
  }

  @Test
  void everyShippedExperimentParsesAndStaysInsideWhatChaosToolkitAccepts() throws Exception {
    List<Path> files;
    try (var list = Files.list(Path.of("chaos/experiments"))) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files.stream().map(f -> f.getFileName().toString())).contains("actor-crash.yaml", "crash-loop.yaml",
        "breaker-shields.yaml", "node-kill.yaml", "node-freeze.yaml", "slow-upstream.yaml", "dead-upstream.yaml",
        "overload.yaml", "hung-actor.yaml", "monkey-day.yaml");
    for (Path f : files) {
      Experiment e = ExperimentParser.parse(f);
      assertThat(e.hypothesis()).as(f + " has a hypothesis").isPresent();
      if (!f.getFileName().toString().equals("monkey-day.yaml")) { // the monkey is config: nothing to take back
        assertThat(e.rollbacks()).as(f + " rolls back what it injects").isNotEmpty();
      }
      Map<String, Object> doc = new Yaml().load(Files.readString(f));
      List<String> problems = new ArrayList<>();
      walk(doc, f.getFileName().toString(), problems);
      if (doc.get("configuration") instanceof Map<?, ?> conf) {
        conf.forEach((k, v) -> {
          if (v instanceof Map<?, ?> entry && "env".equals(entry.get("type")) && !entry.containsKey("default")) {
            problems.add(f + ": configuration." + k + " has no default");
          }
        });
      }
      assertThat(problems).as(f.toString()).isEmpty();
    }
  }
}
