package dev.trainlog.query.spec;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One run as the runs collection describes it, its ranks folded together: the lowest rank speaks for
 * config, tags, provenance, backends and the metric summary; {@code storedStatus} is "running" while
 * any rank runs, else the worst way a rank ended. Maps are unescaped and ordered as stored.
 */
public record RunRecord(String run, String name, String experiment, int lowestRank, int ranksReported, int worldSize,
    String host, Instant start, Instant end, Instant heartbeat, long heartbeatIntervalMillis, Long lastStep,
    String storedStatus, Map<String, Object> config, Map<String, Object> tags, Map<String, Object> provenance,
    Map<String, String> backends, Map<String, MetricStats> summary) {

  /** A running run whose heartbeat is older than this many intervals is STALE: {@value}. */
  public static final int STALE_AFTER_INTERVALS = 3;

  /**
   * RUNNING, STALE (running but silent for {@value #STALE_AFTER_INTERVALS} heartbeat intervals), FINISHED, FAILED,
   * KILLED or UNKNOWN (the run never reached the store while it ran; its records arrived later).
   */
  public String status(Instant now) {
    if ("running".equals(storedStatus)) {
      Instant last = heartbeat != null ? heartbeat : start;
      boolean stale = last != null && now.toEpochMilli() - last.toEpochMilli() > STALE_AFTER_INTERVALS * heartbeatIntervalMillis;
      return stale ? "STALE" : "RUNNING";
    }
    return storedStatus == null ? "UNKNOWN" : storedStatus.toUpperCase(Locale.ROOT);
  }

  /** The run's end, absent while any rank runs. */
  public Optional<Instant> ended() {
    return Optional.ofNullable(end);
  }

  /** The summary of one metric, if the run logged it as a scalar. */
  public Optional<MetricStats> metric(String metric) {
    return Optional.ofNullable(summary.get(metric));
  }

  /** Where a metric's values are stored in a step document: from the summary, else {@code metrics.<escaped name>}. */
  public String pathOf(String metric) {
    return metric(metric).map(MetricStats::path).filter(p -> p != null)
        .orElse(dev.trainlog.mongodb.schema.StoreSchema.metricPath(metric));
  }
}
