package dev.trainlog.cli.report;

import dev.trainlog.query.Downsampler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The data a report page draws, embedded as JSON: {@code {"series": [{"experiment", "run", "name",
 * "metric", "steps", "values"}], "config_diff": {key: {run: value}}}}, each series downsampled to
 * {@link Downsampler#MAX_POINTS} with non-finite values as "NaN", "Infinity", "-Infinity". Also
 * {@code metrics}, {@code x}, {@code smooth} and {@code missing}; series carry {@code times}
 * (seconds since their first point) when {@code x} is {@code time}.
 */
public final class ReportData {

  /** Metrics where a higher value is better (accuracy-like). */
  static final Pattern HIGHER_IS_BETTER = Pattern.compile("(?i).*(acc|score|auc|f1|precision|recall|bleu|reward|map).*");
  /**
   * Metrics where a lower value is better (loss-like). Any other metric ({@code lr}, {@code grad_norm}, {@code
   * memory_mb}) has no best value: its lowest or highest means nothing.
   */
  static final Pattern LOWER_IS_BETTER = Pattern.compile(
      "(?i).*(loss|err|perplexity|ppl|wer|cer|mse|mae|rmse|nll|fid|distance|regret).*");

  private ReportData() {}

  /** The JSON object as plain maps and lists, ready for Jackson. */
  public static Map<String, Object> of(ReportInput input) {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> series = new ArrayList<>();
    for (Curve c : input.curves()) {
      series.add(series(c, "time".equals(input.x())));
    }
    root.put("series", series);
    root.put("config_diff", configDiff(input.configs()));
    root.put("metrics", input.metrics());
    root.put("x", input.x());
    root.put("smooth", input.smooth());
    root.put("missing", input.missing());
    return root;
  }

  private static Map<String, Object> series(Curve c, boolean withTimes) {
    double[] x = new double[c.steps().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = withTimes ? c.times()[i] : c.steps()[i];
    }
    int[] keep = Downsampler.select(x, c.values(), Downsampler.MAX_POINTS);
    List<Long> steps = new ArrayList<>(keep.length);
    List<Object> values = new ArrayList<>(keep.length);
    List<Double> times = new ArrayList<>(withTimes ? keep.length : 0);
    long t0 = c.times().length == 0 ? 0 : c.times()[0];
    for (int i : keep) {
      steps.add(c.steps()[i]);
      values.add(json(c.values()[i]));
      if (withTimes) {
        times.add((c.times()[i] - t0) / 1000.0);
      }
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("experiment", c.experiment());
    s.put("run", c.run());
    s.put("name", c.name());
    s.put("metric", c.metric());
    s.put("steps", steps);
    s.put("values", values);
    if (withTimes) {
      s.put("times", times);
    }
    return s;
  }

  /** A finite value as a number, else "NaN", "Infinity" or "-Infinity". */
  static Object json(double v) {
    return Double.isFinite(v) ? (Object) v : Double.toString(v);
  }

  /** The config keys whose values are not the same in every run (absent counts as a value), per run. */
  public static Map<String, Map<String, Object>> configDiff(Map<String, Map<String, Object>> configs) {
    Set<String> keys = new LinkedHashSet<>();
    configs.values().forEach(c -> keys.addAll(c.keySet()));
    Map<String, Map<String, Object>> diff = new LinkedHashMap<>();
    for (String key : keys) {
      Set<Object> distinct = new LinkedHashSet<>();
      configs.values().forEach(c -> distinct.add(Objects.toString(c.get(key), "\u0000absent")));
      if (distinct.size() > 1) {
        Map<String, Object> perRun = new LinkedHashMap<>();
        configs.forEach((run, c) -> perRun.put(run, c.get(key)));
        diff.put(key, perRun);
      }
    }
    return diff;
  }

  /** Whether the best value of {@code metric} is its highest. */
  public static boolean higherIsBetter(String metric) {
    return HIGHER_IS_BETTER.matcher(metric).matches();
  }

  /** Whether {@code metric} has a best value: accuracy-like (highest) or loss-like (lowest). */
  public static boolean hasBest(String metric) {
    return higherIsBetter(metric) || LOWER_IS_BETTER.matcher(metric).matches();
  }
}
