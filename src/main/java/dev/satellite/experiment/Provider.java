package dev.satellite.experiment;

import java.util.List;
import java.util.Map;

/**
 * What an activity calls: Chaos Toolkit's {@code http} or {@code process} provider (its {@code python} provider is
 * not supported). Values keep their raw form, {@code ${name}} placeholders included; they are substituted when the
 * activity runs.
 *
 * <p>Thread-safe: immutable.
 */
public sealed interface Provider {

  /**
   * An HTTP call. {@code timeout} is seconds (a number) or {@code [connect, read]}; {@code arguments} are query
   * parameters for GET, a JSON body when {@code Content-Type} is {@code application/json}, else a form body.
   */
  record Http(Object url, String method, Map<String, Object> headers, Object arguments, Object timeout,
              boolean verifyTls, Object expectedStatus) implements Provider {
  }

  /** A process: {@code path} looked up on the PATH; {@code arguments} a string (run by a shell), a list or a map. */
  record Process(String path, Object arguments, Double timeout) implements Provider {
  }

  /** The provider's {@code type} as written in the file. */
  default String type() {
    return this instanceof Http ? "http" : "process";
  }

  /** Defaults of the http provider. */
  String DEFAULT_METHOD = "GET";
  List<String> TYPES = List.of("http", "process");
}
