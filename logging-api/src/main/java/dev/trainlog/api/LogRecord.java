package dev.trainlog.api;

import java.util.Map;
import java.util.Objects;

/**
 * One logged step as a backend receives it: the run, the step, a per-rank sequence number, the wall
 * time of the original {@code log()} call, and the metrics.
 *
 * <p>Metric values are one of: {@link Double} (scalar), {@code double[]} (vector, never modified
 * after logging), {@link String} (text) or a {@code Map<String, Object>} of these (nested). The map
 * is unmodifiable and keeps the order in which keys were logged; the dispatcher makes it a {@link
 * MetricMap}, which a backend can walk by position. Records are immutable and shared by
 * every backend, so a backend must not modify arrays it receives.
 *
 * <p>{@link #id()} is stable across retries, resends and restarts: backends that can refuse
 * duplicates key on it.
 */
public final class LogRecord {

  private final RunInfo run;
  private final long step;
  private final long sequence;
  private final long timestampMillis;
  private final Map<String, Object> metrics;
  private final boolean forced;

  public LogRecord(
      RunInfo run, long step, long sequence, long timestampMillis, Map<String, Object> metrics, boolean forced) {
    this.run = Objects.requireNonNull(run, "run");
    this.step = step;
    this.sequence = sequence;
    this.timestampMillis = timestampMillis;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.forced = forced;
  }

  public RunInfo run() {
    return run;
  }

  public long step() {
    return step;
  }

  /** Counts {@code log()} calls of this run and rank from 0, so two records of one step differ. */
  public long sequence() {
    return sequence;
  }

  /** Wall time of the original {@code log()} call, epoch milliseconds. */
  public long timestampMillis() {
    return timestampMillis;
  }

  /** Metric key to value, see the class documentation for the value types. */
  public Map<String, Object> metrics() {
    return metrics;
  }

  /** Whether the caller forced this record past every sampler (an eval result, the last step). */
  public boolean forced() {
    return forced;
  }

  /** {@code runId/rank/step/sequence}: the record's identity. */
  public String id() {
    return run.runId() + "/" + run.rank() + "/" + step + "/" + sequence;
  }

  /** The same identity and time with other metrics, e.g. after filtering or reduction. */
  public LogRecord withMetrics(Map<String, Object> newMetrics) {
    return new LogRecord(run, step, sequence, timestampMillis, newMetrics, forced);
  }

  /** A scalar metric by key, or {@code null} when absent or not a scalar. Nested keys use '/'. */
  public Double scalar(String key) {
    Object v = MetricValues.lookup(metrics, key);
    return v instanceof Double ? (Double) v : null;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LogRecord)) {
      return false;
    }
    LogRecord other = (LogRecord) o;
    return step == other.step
        && sequence == other.sequence
        && timestampMillis == other.timestampMillis
        && forced == other.forced
        && run.equals(other.run)
        && MetricValues.deepEquals(metrics, other.metrics);
  }

  @Override
  public int hashCode() {
    return Objects.hash(run.runId(), run.rank(), step, sequence);
  }

  @Override
  public String toString() {
    return "LogRecord{" + id() + ", t=" + timestampMillis + (forced ? ", forced" : "") + ", metrics="
        + MetricValues.toString(metrics) + "}";
  }
}
