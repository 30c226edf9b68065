package dev.trainlog.cli;

import dev.trainlog.query.spec.MetricStats;
import dev.trainlog.query.spec.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One run as the commands print it: the query API's {@link RunRecord} with the command line's wording. */
record RunView(RunRecord record) {

  String runId() {
    return record.run();
  }

  String experiment() {
    return record.experiment();
  }

  String name() {
    return record.name();
  }

  int lowestRank() {
    return record.lowestRank();
  }

  /** {@code 1} for one process, {@code 2/4} when two of four ranks reported. */
  String ranks() {
    return record.worldSize() == 1 && record.ranksReported() == 1 ? "1"
        : record.ranksReported() + "/" + record.worldSize();
  }

  Map<String, Object> config() {
    return record.config();
  }

  /** The backends the run's dispatcher had and how each sampled, in words (empty for older runs). */
  Map<String, String> backends() {
    return record.backends();
  }

  Map<String, Object> tags() {
    return record.tags();
  }

  /** Where the run's code and machine came from, or null when nothing was recorded. */
  Map<String, Object> provenance() {
    return record.provenance().isEmpty() ? null : record.provenance();
  }

  String host() {
    return record.host();
  }

  Instant start() {
    return record.start();
  }

  Optional<Instant> end() {
    return record.ended();
  }

  Instant lastHeartbeat() {
    return record.heartbeat();
  }

  Long lastStep() {
    return record.lastStep();
  }

  /** How long it ran: to its end, or to its last heartbeat while running. */
  Duration duration() {
    Instant until = end().orElse(lastHeartbeat());
    return start() == null || until == null ? Duration.ZERO : Duration.between(start(), until);
  }

  /** RUNNING, STALE (running but silent for 3 heartbeat intervals), FINISHED, FAILED or KILLED. */
  String status(Instant now) {
    return record.status(now);
  }

  List<MetricStats> summary() {
    return new ArrayList<>(record.summary().values());
  }

  Optional<MetricStats> metric(String name) {
    return record.metric(name);
  }

  /** Where a metric's values are stored in a step document: from the summary, else {@code metrics.<name>}. */
  String pathOf(String metric) {
    return record.pathOf(metric);
  }
}
