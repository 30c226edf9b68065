package dev.trainlog.query;

import static dev.trainlog.mongodb.schema.StoreSchema.RUN;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.trainlog.mongodb.EmbeddedMongo;
import dev.trainlog.mongodb.schema.StoreSchema;
import dev.trainlog.query.internal.AlertScan;
import dev.trainlog.query.internal.DeliveryRead;
import dev.trainlog.query.internal.LiveFeed;
import dev.trainlog.query.internal.NodeAggregate;
import dev.trainlog.query.internal.Paths;
import dev.trainlog.query.internal.ReachedQuery;
import dev.trainlog.query.internal.ReachedSearch;
import dev.trainlog.query.internal.RunConditions;
import dev.trainlog.query.internal.RunDocuments;
import dev.trainlog.query.internal.SeriesRead;
import dev.trainlog.query.internal.SeriesRollupRead;
import dev.trainlog.query.internal.StepPoller;
import dev.trainlog.query.internal.StepsRead;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.bson.Document;
import dev.trainlog.query.spec.AlertCheck;
import dev.trainlog.query.spec.AlertFired;
import dev.trainlog.query.spec.LivePoint;
import dev.trainlog.query.spec.MetricSeries;
import dev.trainlog.query.spec.NodeStats;
import dev.trainlog.query.spec.RankDelivery;
import dev.trainlog.query.spec.Reached;
import dev.trainlog.query.spec.RunFilter;
import dev.trainlog.query.spec.RunRecord;
import dev.trainlog.query.spec.StepFeed;
import dev.trainlog.query.spec.StepValues;
import dev.trainlog.query.spec.Subscription;

/**
 * The read side of a TrainLog store: its runs, one metric's series (downsampled here, on the server
 * side of any API), the seed's reached-within question, config diffs and a live feed of new points.
 * Read-only: nothing here writes to the store.
 */
public final class TrainlogStore implements AutoCloseable {

  /** How often a live feed polls when the server has no change streams: {@value} ms. */
  public static final long DEFAULT_POLL_MILLIS = 200;

  private final MongoCollection<Document> steps;
  private final MongoCollection<Document> rollups;
  private final MongoCollection<Document> runs;
  private final AutoCloseable owned;
  private final Clock clock;
  private final RunImages images;

  private TrainlogStore(MongoDatabase db, String steps, String runs, AutoCloseable owned, Clock clock) {
    this.steps = db.getCollection(steps);
    this.rollups = db.getCollection(StoreSchema.seriesCollection(steps));
    this.images = RunImages.on(db, steps);
    this.runs = db.getCollection(runs);
    this.owned = owned;
    this.clock = clock;
  }

  /** A store over a database the caller opened and closes, with the given step and runs collections. */
  public static TrainlogStore on(MongoDatabase db, String stepsCollection, String runsCollection, Clock clock) {
    return new TrainlogStore(db, stepsCollection, runsCollection, null, clock);
  }

  /** A store over a database the caller opened, with the backend's default collections and the system clock. */
  public static TrainlogStore on(MongoDatabase db) {
    return on(db, StoreSchema.DEFAULT_STEPS, StoreSchema.DEFAULT_RUNS, Clock.systemUTC());
  }

  /**
   * Opens {@code uri} ({@code mongodb://...} or {@code embedded:<dir>}) with the default database and
   * collections; closing the store closes the connection.
   */
  public static TrainlogStore open(String uri) {
    if (uri.startsWith(EmbeddedMongo.SCHEME)) {
      EmbeddedMongo.EmbeddedClient embedded = EmbeddedMongo.openClient(EmbeddedMongo.directoryOf(uri));
      return new TrainlogStore(embedded.client().getDatabase(StoreSchema.DEFAULT_DATABASE), StoreSchema.DEFAULT_STEPS,
          StoreSchema.DEFAULT_RUNS, embedded, Clock.systemUTC());
    }
    MongoClient client = MongoClients.create(uri);
    return new TrainlogStore(client.getDatabase(StoreSchema.DEFAULT_DATABASE), StoreSchema.DEFAULT_STEPS,
        StoreSchema.DEFAULT_RUNS, client, Clock.systemUTC());
  }

  /** The clock statuses (STALE) are judged by. */
  public Clock clock() {
    return clock;
  }

  /** The runs' logged images (GridFS), over the same connection. */
  public RunImages images() {
    return images;
  }

  /** The runs {@code filter} selects, oldest first. */
  public List<RunRecord> runs(RunFilter filter) {
    Document query = RunConditions.query(filter);
    Map<String, List<Document>> byRun = new LinkedHashMap<>();
    for (Document d : runs.find(query)) {
      String run = d.getString(RUN);
      if (run != null) {
        byRun.computeIfAbsent(run, r -> new ArrayList<>()).add(d);
      }
    }
    Instant now = clock.instant();
    return byRun.values().stream().map(RunDocuments::fold).filter(r -> matches(r, filter, now))
        .sorted(Comparator.comparing(RunRecord::start, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(RunRecord::experiment, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(RunRecord::name, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(RunRecord::run))
        .toList();
  }

  private static boolean matches(RunRecord r, RunFilter f, Instant now) {
    if (f.experiment() != null && !f.experiment().equals(r.experiment())) {
      return false;
    }
    if (f.status() != null && !f.status().equalsIgnoreCase(r.status(now))) {
      return false;
    }
    if (f.text() != null && !f.text().isBlank()) {
      String t = f.text().toLowerCase(Locale.ROOT);
      if (!(contains(r.run(), t) || contains(r.name(), t) || contains(r.experiment(), t))) {
        return false;
      }
    }
    for (Map.Entry<String, Object> e : f.config().entrySet()) {
      Object v = r.config().containsKey(e.getKey()) ? r.config().get(e.getKey()) : Paths.at(r.config(), e.getKey());
      if (v == null || !String.valueOf(v).equals(String.valueOf(e.getValue()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(String s, String lowerNeedle) {
    return s != null && s.toLowerCase(Locale.ROOT).contains(lowerNeedle);
  }

  /** The run with id {@code run}, if the store has it. */
  public Optional<RunRecord> run(String run) {
    List<Document> ranks = runs.find(new Document(RUN, run)).into(new ArrayList<>());
    return ranks.isEmpty() ? Optional.empty() : Optional.of(RunDocuments.fold(ranks));
  }

  /**
   * {@code metric} of {@code run} (its lowest rank): every point when there are at most {@code maxPoints},
   * else largest-triangle-three-buckets down to {@code maxPoints} finite points plus every non-finite one. A long
   * series is drawn from the backend's series rollups when they cover it, else from every step.
   */
  public MetricSeries series(RunRecord run, String metric, int maxPoints) {
    Optional<SeriesRollupRead.Chart> rollup = SeriesRollupRead.chart(rollups, run, metric, maxPoints);
    if (rollup.isPresent()) {
      SeriesRollupRead.Chart c = rollup.get();
      return ChartPoints.chart(run.run(), metric, c.steps(), c.times(), c.values(), maxPoints, c.total(), true);
    }
    SeriesRead read = SeriesRead.read(steps, run.run(), run.lowestRank(), run.pathOf(metric), -1);
    return ChartPoints.chart(run.run(), metric, read.steps(), read.times(), read.values(), maxPoints,
        read.steps().length, false);
  }

  /**
   * Every stored point of each of {@code metrics} of {@code run} (its lowest rank), read in one query, keyed
   * by metric in the given order; a metric without points maps to an empty series.
   */
  public Map<String, MetricSeries> series(RunRecord run, List<String> metrics) {
    List<SeriesRead> reads = SeriesRead.read(steps, run.run(), run.lowestRank(),
        metrics.stream().map(run::pathOf).toList(), -1);
    Map<String, MetricSeries> out = new LinkedHashMap<>();
    for (int i = 0; i < metrics.size(); i++) {
      SeriesRead r = reads.get(i);
      out.put(metrics.get(i), new MetricSeries(run.run(), metrics.get(i), r.steps(), r.times(), r.values(),
          r.steps().length));
    }
    return out;
  }

  /**
   * The seed's question: of the runs {@code filter} selects, those whose {@code metric} went below
   * {@code threshold} (a finite value, strictly below) at a step no higher than {@code within}, each
   * with the first such step, in the order of {@link #runs}. Where the series rollups cover a run, they
   * name its first crossing bucket and only that bucket's steps are read; other runs are aggregated in full.
   */
  public List<Reached> reachedWithin(String metric, double threshold, long within, RunFilter filter) {
    return reachedWithin(metric, threshold, within, runs(filter));
  }

  /** As {@link #reachedWithin(String, double, long, RunFilter)}, over runs the caller picked. */
  public List<Reached> reachedWithin(String metric, double threshold, long within, List<RunRecord> candidates) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    Map<String, List<String>> byPath = new LinkedHashMap<>();
    candidates.forEach(r -> byPath.computeIfAbsent(r.pathOf(metric), p -> new ArrayList<>()).add(r.run()));
    Map<String, ReachedQuery.First> firsts = new LinkedHashMap<>();
    byPath.forEach((path, ids) -> firsts.putAll(ReachedSearch.run(steps, rollups, runs, ids, path, threshold, within)));
    List<Reached> out = new ArrayList<>();
    for (RunRecord r : candidates) {
      ReachedQuery.First f = firsts.get(r.run());
      if (f != null) {
        out.add(new Reached(r, metric, f.step(), Instant.ofEpochMilli(f.timeMillis()), f.value()));
      }
    }
    return out;
  }

  /**
   * The config keys whose values differ between {@code runs} (a key one run lacks counts as differing),
   * each with one value per run in order (null where absent); nested config is compared by dotted key.
   */
  public static Map<String, List<Object>> configDiff(List<RunRecord> runs) {
    List<Map<String, Object>> flat = runs.stream().map(r -> flatten("", r.config(), new LinkedHashMap<>())).toList();
    List<String> keys = new ArrayList<>();
    flat.forEach(m -> m.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add));
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (String key : keys) {
      List<Object> values = new ArrayList<>();
      flat.forEach(m -> values.add(m.get(key)));
      if (values.stream().distinct().count() > 1) {
        out.put(key, values);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> flatten(String prefix, Map<String, Object> map, Map<String, Object> out) {
    map.forEach((k, v) -> {
      if (v instanceof Map) {
        flatten(prefix + k + ".", (Map<String, Object>) v, out);
      } else {
        out.put(prefix + k, v);
      }
    });
    return out;
  }

  /**
   * Feeds the points of {@code run} logged after {@code afterStep} to {@code listener}, on a daemon
   * thread, until the subscription is closed: from a change stream when the server has one, else by
   * polling every {@code pollInterval}.
   */
  public Subscription subscribe(RunRecord run, long afterStep, Duration pollInterval,
      Consumer<List<LivePoint>> listener) {
    Objects.requireNonNull(listener, "listener");
    return new LiveFeed(steps, run.run(), run.lowestRank(), afterStep, pollInterval, listener);
  }

  /**
   * Every stored step of every rank of {@code run}, in rank and step order, with the values of {@code metrics}
   * (scalars, vectors, maps, text: as stored), for export; read in one query.
   */
  public void forEachStep(RunRecord run, List<String> metrics, Consumer<StepValues> action) {
    StepsRead.each(steps, run, metrics, action);
  }

  /** The first {@code limit} stored steps of {@code run}'s lowest rank with all their metrics, to see what it logs. */
  public List<StepValues> firstSteps(RunRecord run, int limit) {
    List<StepValues> out = new ArrayList<>();
    StepsRead.first(steps, run, limit, out::add);
    return out;
  }

  /**
   * The steps of {@code run}'s lowest rank stored after {@code afterStep}, pulled with {@link StepFeed#next()}:
   * a change stream where the server has one, else polling; {@code polling} forces polling (one read per call).
   */
  public StepFeed follow(RunRecord run, long afterStep, boolean polling) {
    return polling ? StepPoller.polling(steps, run.run(), run.lowestRank(), afterStep)
        : StepPoller.open(steps, run.run(), run.lowestRank(), afterStep);
  }

  /** Per node of {@code run}, the mean and max of each of {@code metrics}, computed by the server in one {@code $group}. */
  public List<NodeStats> perNode(RunRecord run, List<String> metrics) {
    return NodeAggregate.run(steps, run, metrics);
  }

  /**
   * How each of {@code checks} fired over the stored points of {@code run}'s lowest rank. The store keeps no
   * record of alerts, so this is what a watcher with these rules would have reported.
   */
  public List<AlertFired> alerts(RunRecord run, List<AlertCheck> checks) {
    return checks.stream().map(c -> AlertScan.scan(steps, run, c)).toList();
  }

  /** How far each rank of {@code run} has reached the store: newest stored step and last heartbeat. */
  public List<RankDelivery> delivery(RunRecord run) {
    return DeliveryRead.read(runs, steps, run.run());
  }

  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        // closing only releases a connection or an embedded server; nothing a reader can act on
      }
    }
  }
}
