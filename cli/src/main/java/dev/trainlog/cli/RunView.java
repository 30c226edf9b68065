package dev.trainlog.cli;

import dev.trainlog.mongodb.StoreSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bson.Document;

/**
 * One run as the runs collection describes it, its ranks' documents folded together: the lowest
 * rank speaks for config, tags and the metric summary; status says whether any rank still runs.
 */
final class RunView {

  /** Assumed when a runs document predates {@code heartbeat_interval_ms}: the backend's default, 10 s. */
  static final long DEFAULT_HEARTBEAT_MILLIS = 10_000;

  /** A running run whose heartbeat is older than this many intervals shows as STALE. */
  static final int STALE_AFTER_INTERVALS = 3;

  private final List<Document> ranks;
  private final Document first;

  RunView(List<Document> rankDocuments) {
    this.ranks = rankDocuments.stream()
        .sorted(Comparator.comparingInt(d -> d.get("rank") instanceof Number ? ((Number) d.get("rank")).intValue() : 0))
        .toList();
    this.first = ranks.get(0);
  }

  String runId() {
    return first.getString("run");
  }

  String experiment() {
    return first.getString("exp_name");
  }

  String name() {
    return first.getString("run_name");
  }

  int lowestRank() {
    return first.get("rank") instanceof Number ? ((Number) first.get("rank")).intValue() : 0;
  }

  /** {@code 1} for one process, {@code 2/4} when two of four ranks reported. */
  String ranks() {
    int world = first.get("world_size") instanceof Number ? ((Number) first.get("world_size")).intValue() : 1;
    return world == 1 && ranks.size() == 1 ? "1" : ranks.size() + "/" + world;
  }

  Document config() {
    return first.get("config", Document.class) == null ? new Document() : first.get("config", Document.class);
  }

  /** The backends the run's dispatcher had and how each sampled, in words (empty for older runs). */
  Document backends() {
    return first.get("backends", Document.class) == null ? new Document() : first.get("backends", Document.class);
  }

  Document tags() {
    return first.get("tags", Document.class) == null ? new Document() : first.get("tags", Document.class);
  }

  String host() {
    return first.getString("host");
  }

  Instant start() {
    Date d = first.getDate("start_time");
    return d == null ? null : d.toInstant();
  }

  Optional<Instant> end() {
    if (ranks.stream().anyMatch(d -> d.getDate("end_time") == null)) {
      return Optional.empty();
    }
    return ranks.stream().map(d -> d.getDate("end_time").toInstant()).max(Comparator.naturalOrder());
  }

  Instant lastHeartbeat() {
    return ranks.stream().map(d -> d.getDate("heartbeat")).filter(d -> d != null).map(Date::toInstant)
        .max(Comparator.naturalOrder()).orElse(start());
  }

  Long lastStep() {
    return ranks.stream().map(d -> d.get("last_step")).filter(o -> o instanceof Number)
        .map(o -> ((Number) o).longValue()).max(Comparator.naturalOrder()).orElse(null);
  }

  /** How long it ran: to its end, or to its last heartbeat while running. */
  Duration duration() {
    Instant until = end().orElse(lastHeartbeat());
    return start() == null || until == null ? Duration.ZERO : Duration.between(start(), until);
  }

  /** RUNNING, STALE (running but silent for 3 heartbeat intervals), FINISHED, FAILED or KILLED. */
  String status(Instant now) {
    boolean anyLive = false;
    boolean anyStale = false;
    String ended = "finished";
    for (Document d : ranks) {
      String s = d.getString("status") == null ? "unknown" : d.getString("status");
      if ("running".equals(s)) {
        if (isStale(d, now)) {
          anyStale = true;
        } else {
          anyLive = true;
        }
      } else if (!"finished".equals(s)) {
        ended = s;
      }
    }
    String status = anyLive ? "running" : anyStale ? "stale" : ended;
    return status.toUpperCase(Locale.ROOT);
  }

  private static boolean isStale(Document d, Instant now) {
    long interval = d.get("heartbeat_interval_ms") instanceof Number
        ? ((Number) d.get("heartbeat_interval_ms")).longValue() : DEFAULT_HEARTBEAT_MILLIS;
    Date heartbeat = d.getDate("heartbeat") != null ? d.getDate("heartbeat") : d.getDate("start_time");
    return heartbeat != null && now.toEpochMilli() - heartbeat.getTime() > STALE_AFTER_INTERVALS * interval;
  }

  List<MetricSummary> summary() {
    return MetricSummary.all(first.get("summary", Document.class));
  }

  Optional<MetricSummary> metric(String name) {
    return summary().stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** Where a metric's values are stored in a step document: from the summary, else {@code metrics.<name>}. */
  String pathOf(String metric) {
    return metric(metric).map(MetricSummary::path).filter(p -> p != null)
        .orElse("metrics." + StoreSchema.escape(metric));
  }
}
