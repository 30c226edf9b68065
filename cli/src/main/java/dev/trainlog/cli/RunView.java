package dev.trainlog.cli;

import static dev.trainlog.mongodb.StoreSchema.BACKENDS;
import static dev.trainlog.mongodb.StoreSchema.CONFIG;
import static dev.trainlog.mongodb.StoreSchema.END_TIME;
import static dev.trainlog.mongodb.StoreSchema.EXPERIMENT;
import static dev.trainlog.mongodb.StoreSchema.HEARTBEAT;
import static dev.trainlog.mongodb.StoreSchema.HEARTBEAT_INTERVAL_MS;
import static dev.trainlog.mongodb.StoreSchema.HOST;
import static dev.trainlog.mongodb.StoreSchema.LAST_STEP;
import static dev.trainlog.mongodb.StoreSchema.RANK;
import static dev.trainlog.mongodb.StoreSchema.RUN;
import static dev.trainlog.mongodb.StoreSchema.RUN_NAME;
import static dev.trainlog.mongodb.StoreSchema.START_TIME;
import static dev.trainlog.mongodb.StoreSchema.STATUS;
import static dev.trainlog.mongodb.StoreSchema.SUMMARY;
import static dev.trainlog.mongodb.StoreSchema.TAGS;
import static dev.trainlog.mongodb.StoreSchema.WORLD_SIZE;

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
        .sorted(Comparator.comparingInt(d -> d.get(RANK) instanceof Number ? ((Number) d.get(RANK)).intValue() : 0))
        .toList();
    this.first = ranks.get(0);
  }

  String runId() {
    return first.getString(RUN);
  }

  String experiment() {
    return first.getString(EXPERIMENT);
  }

  String name() {
    return first.getString(RUN_NAME);
  }

  int lowestRank() {
    return first.get(RANK) instanceof Number ? ((Number) first.get(RANK)).intValue() : 0;
  }

  /** {@code 1} for one process, {@code 2/4} when two of four ranks reported. */
  String ranks() {
    int world = first.get(WORLD_SIZE) instanceof Number ? ((Number) first.get(WORLD_SIZE)).intValue() : 1;
    return world == 1 && ranks.size() == 1 ? "1" : ranks.size() + "/" + world;
  }

  Document config() {
    return first.get(CONFIG, Document.class) == null ? new Document() : first.get(CONFIG, Document.class);
  }

  /** The backends the run's dispatcher had and how each sampled, in words (empty for older runs). */
  Document backends() {
    return first.get(BACKENDS, Document.class) == null ? new Document() : first.get(BACKENDS, Document.class);
  }

  Document tags() {
    return first.get(TAGS, Document.class) == null ? new Document() : first.get(TAGS, Document.class);
  }

  String host() {
    return first.getString(HOST);
  }

  Instant start() {
    Date d = first.getDate(START_TIME);
    return d == null ? null : d.toInstant();
  }

  Optional<Instant> end() {
    if (ranks.stream().anyMatch(d -> d.getDate(END_TIME) == null)) {
      return Optional.empty();
    }
    return ranks.stream().map(d -> d.getDate(END_TIME).toInstant()).max(Comparator.naturalOrder());
  }

  Instant lastHeartbeat() {
    return ranks.stream().map(d -> d.getDate(HEARTBEAT)).filter(d -> d != null).map(Date::toInstant)
        .max(Comparator.naturalOrder()).orElse(start());
  }

  Long lastStep() {
    return ranks.stream().map(d -> d.get(LAST_STEP)).filter(o -> o instanceof Number)
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
      String s = d.getString(STATUS) == null ? "unknown" : d.getString(STATUS);
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
    long interval = d.get(HEARTBEAT_INTERVAL_MS) instanceof Number
        ? ((Number) d.get(HEARTBEAT_INTERVAL_MS)).longValue() : DEFAULT_HEARTBEAT_MILLIS;
    Date heartbeat = d.getDate(HEARTBEAT) != null ? d.getDate(HEARTBEAT) : d.getDate(START_TIME);
    return heartbeat != null && now.toEpochMilli() - heartbeat.getTime() > STALE_AFTER_INTERVALS * interval;
  }

  List<MetricSummary> summary() {
    return MetricSummary.all(first.get(SUMMARY, Document.class));
  }

  Optional<MetricSummary> metric(String name) {
    return summary().stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** Where a metric's values are stored in a step document: from the summary, else {@code metrics.<name>}. */
  String pathOf(String metric) {
    return metric(metric).map(MetricSummary::path).filter(p -> p != null)
        .orElse(StoreSchema.metricPath(metric));
  }
}
