package dev.trainlog.query.spec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which runs a listing returns: by experiment, status (RUNNING, STALE, FINISHED, ...), text found in
 * id, name or experiment, start time at or after {@code since}, config values equal to the given
 * ones (dotted keys reach into nested config), and conditions on any field of the runs document
 * ({@code where}, evaluated by the server). Null fields match everything.
 */
public record RunFilter(String experiment, String status, String text, Instant since, Map<String, Object> config,
    List<Condition> where) {

  /** Every run. */
  public static final RunFilter ALL = new RunFilter(null, null, null, null, Map.of(), List.of());

  /**
   * {@code field op value} on the runs document, e.g. {@code config.lora_rank = 64} or {@code tags.team != vision};
   * {@code op} is one of {@code = == != < <= > >=}. A number also matches its text form for {@code =} and
   * {@code !=}, since a YAML variable may have stored {@code "64"}.
   */
  public record Condition(String field, String op, Object value) {

    /** The operators a condition may use. */
    public static final List<String> OPERATORS = List.of(">=", "<=", "!=", "==", "=", ">", "<");

    public Condition {
      if (!OPERATORS.contains(op)) {
        throw new IllegalArgumentException("operator '" + op + "' must be one of " + String.join(" ", OPERATORS));
      }
    }
  }

  public RunFilter {
    config = config == null ? Map.of() : Map.copyOf(config);
    where = where == null ? List.of() : List.copyOf(where);
  }

  /** This filter also requiring the experiment. */
  public RunFilter withExperiment(String experiment) {
    return new RunFilter(experiment, status, text, since, config, where);
  }

  /** This filter also requiring the status. */
  public RunFilter withStatus(String status) {
    return new RunFilter(experiment, status == null ? null : status.toUpperCase(Locale.ROOT), text, since, config,
        where);
  }

  /** This filter also requiring the text. */
  public RunFilter withText(String text) {
    return new RunFilter(experiment, status, text, since, config, where);
  }

  /** This filter also requiring a start at or after {@code since}. */
  public RunFilter withSince(Instant since) {
    return new RunFilter(experiment, status, text, since, config, where);
  }

  /** This filter also requiring config {@code key} (dotted for nested) to equal {@code value}. */
  public RunFilter withConfig(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(config);
    more.put(key, value);
    return new RunFilter(experiment, status, text, since, more, where);
  }

  /** This filter also requiring {@code condition}. */
  public RunFilter with(Condition condition) {
    List<Condition> more = new ArrayList<>(where);
    more.add(condition);
    return new RunFilter(experiment, status, text, since, config, more);
  }
}
