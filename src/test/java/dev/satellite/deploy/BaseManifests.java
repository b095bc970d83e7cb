package dev.satellite.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The base Deployment ({@code k8s/base/deployment.yaml}) read as plain YAML maps, for the tests that hold the code
 * and the image to it, with the casts that reading untyped YAML needs.
 */
public final class BaseManifests {

  private static final Path DEPLOYMENT = Path.of("k8s/base/deployment.yaml");

  private BaseManifests() {
  }

  /** The Deployment, as read. */
  public static Map<String, Object> deployment() throws IOException {
    return new Yaml().load(Files.readString(DEPLOYMENT));
  }

  /** {@code spec.template} of the Deployment: the pod's metadata and spec. */
  public static Map<String, Object> podTemplate() throws IOException {
    return map(map(deployment().get("spec")).get("template"));
  }

  /** {@code spec.template.spec} of the Deployment. */
  public static Map<String, Object> podSpec() throws IOException {
    return map(podTemplate().get("spec"));
  }

  /** The pod's one container. */
  public static Map<String, Object> container() throws IOException {
    return map(list(podSpec().get("containers")).get(0));
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(Object o) {
    return (List<Object>) o;
  }
}
