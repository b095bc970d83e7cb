package dev.satellite.experiment.report;

import io.vertx.core.json.JsonObject;

/**
 * JSON text that can sit inside an HTML {@code <script>} element: no journal string can close the element
 * ({@code </script>}), open a comment ({@code <!--}) or end a line for a JavaScript parser. Every {@code <},
 * {@code >}, {@code &}, U+2028 and U+2029 is written as a {@code \}{@code uXXXX} escape, which JSON reads back as the
 * same character, and which can appear in JSON text only inside strings. Stateless: thread-safe.
 */
final class ScriptSafeJson {

  private ScriptSafeJson() {
  }

  /** {@code json} encoded, with the characters above escaped. */
  static String encode(JsonObject json) {
    String text = json.encode();
    StringBuilder out = new StringBuilder(text.length() + 64);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("\\u003c");
        case '>' -> out.append("\\u003e");
        case '&' -> out.append("\\u0026");
        case '\u2028' -> out.append("\\u2028");
        case '\u2029' -> out.append("\\u2029");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
