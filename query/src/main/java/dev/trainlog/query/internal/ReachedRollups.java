package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_BUCKET_STEPS;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_COUNT;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_ID_BUCKET;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_ID_PATH;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_MIN;
import static dev.trainlog.mongodb.schema.StoreSchema.POINT_VALUE;
import static dev.trainlog.mongodb.schema.StoreSchema.STATUS;
import static dev.trainlog.mongodb.schema.StoreSchema.SUMMARY;
import static dev.trainlog.mongodb.schema.StoreSchema.SUMMARY_COUNT;
import static dev.trainlog.mongodb.schema.StoreSchema.SUMMARY_PATH;

import com.mongodb.client.MongoCollection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * The reached-within question asked of the series rollups: per run, the first bucket (at or below the
 * step limit's bucket) whose finite minimum is below the threshold. Answers only for runs whose rollups
 * cover the metric: every rank that has a summary of it has rollups of as many points (more while it
 * runs, since the summary is written on heartbeats), and no rank has rollups without a summary.
 */
public final class ReachedRollups {

  /** A covered run whose metric never goes below the threshold within the limit. */
  public static final long NEVER = -1;

  /**
   * Up to this many runs the rollup reads name them ({@code run $in}, served by the rollups' {@code run} index);
   * above it they read the metric's rollups of every run and keep the asked ones: a server that matches each
   * document in turn (mongo-java-server, whose {@code $in} walks the list) spends per document what the list
   * is long, and a long list is most of the store anyway: {@value}.
   */
  static final int NAMED_RUNS = 100;

  private ReachedRollups() {}

  /** Per covered run, its first crossing bucket's number, or {@link #NEVER}; runs not covered are absent. */
  public static Map<String, Long> firstBuckets(MongoCollection<Document> rollups, MongoCollection<Document> runsDocs,
      List<String> runs, String path, double threshold, long within) {
    Set<String> covered = covered(rollups, runsDocs, runs, path);
    Map<String, Long> out = new LinkedHashMap<>();
    if (covered.isEmpty()) {
      return out;
    }
    covered.forEach(r -> out.put(r, NEVER));
    List<String> ids = List.copyOf(covered);
    Document match = runs(ids, path)
        .append("_id." + SERIES_ID_BUCKET, new Document("$lte", Math.floorDiv(within, SERIES_BUCKET_STEPS)))
        .append(SERIES_MIN + "." + POINT_VALUE, new Document("$lt", threshold));
    List<Document> pipeline = List.of(new Document("$match", match),
        new Document("$group", new Document("_id", "$" + RUN).append("b", new Document("$min", "$_id." + SERIES_ID_BUCKET))));
    for (Document d : rollups.aggregate(pipeline)) {
      if (d.get("b") instanceof Number b && covered.contains(d.getString("_id"))) {
        out.put(d.getString("_id"), b.longValue());
      }
    }
    return out;
  }

  private record RankKey(String run, int rank) {}

  private static Set<String> covered(MongoCollection<Document> rollups, MongoCollection<Document> runsDocs,
      List<String> runs, String path) {
    Map<RankKey, Long> rolled = new HashMap<>();
    List<Document> pipeline = List.of(
        new Document("$match", runs(runs, path)),
        new Document("$group", new Document("_id", new Document(RUN, "$" + RUN).append(RANK, "$" + RANK))
            .append("n", new Document("$sum", "$" + SERIES_COUNT))));
    Set<String> asked = new HashSet<>(runs);
    for (Document d : rollups.aggregate(pipeline)) {
      Document id = d.get("_id", Document.class);
      if (id != null && asked.contains(id.getString(RUN)) && id.get(RANK) instanceof Number rank
          && d.get("n") instanceof Number n) {
        rolled.put(new RankKey(id.getString(RUN), rank.intValue()), n.longValue());
      }
    }
    Set<String> covered = new HashSet<>();
    Set<String> refused = new HashSet<>();
    Set<RankKey> summarised = new HashSet<>();
    for (Document d : runsDocs.find(new Document(RUN, new Document("$in", runs)))) {
      String run = d.getString(RUN);
      Long count = summaryCount(d.get(SUMMARY, Document.class), path);
      if (run == null || count == null) {
        continue;
      }
      RankKey key = new RankKey(run, d.get(RANK) instanceof Number n ? n.intValue() : 0);
      summarised.add(key);
      long n = rolled.getOrDefault(key, 0L);
      boolean agrees = SeriesRollupRead.covers(n, count, d.getString(STATUS));
      (agrees ? covered : refused).add(run);
    }
    rolled.keySet().stream().filter(k -> !summarised.contains(k)).forEach(k -> refused.add(k.run()));
    covered.removeAll(refused);
    return covered;
  }

  /** The rollups of {@code path}, of {@code runs} when they are few enough to name. */
  private static Document runs(List<String> runs, String path) {
    Document match = new Document("_id." + SERIES_ID_PATH, path);
    return runs.size() <= NAMED_RUNS ? match.append(RUN, new Document("$in", runs)) : match;
  }

  /** The count of the summary entry stored at {@code path}, or null when the rank has none. */
  private static Long summaryCount(Document summary, String path) {
    if (summary == null) {
      return null;
    }
    for (Object v : summary.values()) {
      if (v instanceof Document d && path.equals(d.getString(SUMMARY_PATH)) && d.get(SUMMARY_COUNT) instanceof Number n) {
        return n.longValue();
      }
    }
    return null;
  }
}
