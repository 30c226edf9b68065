package dev.trainlog.query.spec;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which runs a listing returns: by experiment, status (RUNNING, STALE, FINISHED, ...), text found in
 * id, name or experiment, start time at or after {@code since}, and config values equal to the given
 * ones (dotted keys reach into nested config). Null fields match everything.
 */
public record RunFilter(String experiment, String status, String text, Instant since, Map<String, Object> config) {

  /** Every run. */
  public static final RunFilter ALL = new RunFilter(null, null, null, null, Map.of());

  public RunFilter {
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  /** This filter also requiring the experiment. */
  public RunFilter withExperiment(String experiment) {
    return new RunFilter(experiment, status, text, since, config);
  }

  /** This filter also requiring the status. */
  public RunFilter withStatus(String status) {
    return new RunFilter(experiment, status == null ? null : status.toUpperCase(Locale.ROOT), text, since, config);
  }

  /** This filter also requiring the text. */
  public RunFilter withText(String text) {
    return new RunFilter(experiment, status, text, since, config);
  }

  /** This filter also requiring a start at or after {@code since}. */
  public RunFilter withSince(Instant since) {
    return new RunFilter(experiment, status, text, since, config);
  }

  /** This filter also requiring config {@code key} (dotted for nested) to equal {@code value}. */
  public RunFilter withConfig(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(config);
    more.put(key, value);
    return new RunFilter(experiment, status, text, since, more);
  }
}
