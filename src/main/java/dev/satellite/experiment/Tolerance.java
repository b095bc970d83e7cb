package dev.satellite.experiment;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A steady-state probe's tolerance, as Chaos Toolkit defines them, plus Satellite's {@code percent}. See
 * {@link ToleranceCheck} for how each is matched against a probe's output.
 * <ul>
 *   <li>{@link Value}: a boolean, number or string the output must equal (a number is compared with the
 *       {@code status} of an http/process output);</li>
 *   <li>{@link Values}: a list: the {@code status} of an http/process output must be one of them; any other output
 *       must lie within {@code [low, high]} when there are two, else be one of them;</li>
 *   <li>{@link Regex}: {@code {type: regex, pattern, target?}};</li>
 *   <li>{@link JsonPath}: {@code {type: jsonpath, path, expect?, count?, target?}} (Satellite's JSON path subset,
 *       see {@link dev.satellite.experiment.JsonPath});</li>
 *   <li>{@link Range}: {@code {type: range, range: [low, high], target?}};</li>
 *   <li>{@link Probe}: {@code {type: probe, name, provider}}: another activity whose success decides;</li>
 *   <li>{@link Percent}: Satellite only, {@code {type: percent, target?, path?, min?, max?}}: the selected value is a
 *       ratio (0.02 = 2 %) that must lie within {@code [min, max]} percent — {@code max: 1} reads "at most 1 %".
 *       Chaos Toolkit's validator refuses it: use it only in files written for Satellite's runner.</li>
 * </ul>
 *
 * <p>Thread-safe: immutable.
 */
public sealed interface Tolerance {

  record Value(Object expected) implements Tolerance {
  }

  record Values(List<Object> values) implements Tolerance {
  }

  /** {@code pattern} is null when the raw pattern holds placeholders: it is compiled once substituted. */
  record Regex(Pattern pattern, String rawPattern, String target) implements Tolerance {
  }

  record JsonPath(dev.satellite.experiment.JsonPath path, String rawPath, boolean hasExpect, Object expect,
                  Integer count, String target) implements Tolerance {
  }

  record Range(Number low, Number high, String target) implements Tolerance {
  }

  record Probe(Activity activity) implements Tolerance {
  }

  record Percent(String target, dev.satellite.experiment.JsonPath path, Double min, Double max) implements Tolerance {
  }
}
