package dev.trainlog.mongodb.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.GRIDFS_ID;
import static dev.trainlog.mongodb.schema.StoreSchema.METRICS;
import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.TIMESTAMP;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Rebuilds one run's series rollups from its stored step documents with the backend's own buckets, so the
 * result is what the backend would have written: the run's steps in the order the backend stored them
 * (rank, step, sequence), every finite or non-finite scalar folded into its bucket, every bucket replaced and
 * rollups of the run that no step supports removed. Idempotent.
 */
public final class SeriesRebuild {

  /** Rollup writes per bulk: {@value}. */
  static final int BATCH = 1000;

  /** What one rebuild did: step documents read, scalar points folded, buckets written, stale buckets removed. */
  public record Result(long steps, long points, int buckets, long removed) {}

  private SeriesRebuild() {}

  /** Rebuilds the rollups of {@code run} in {@code rollups} from its documents in {@code steps}. */
  public static Result run(MongoCollection<Document> steps, MongoCollection<Document> rollups, String run) {
    new SeriesRollups("rebuild", rollups).prepare();
    Map<SeriesRollups.Key, SeriesBucket> buckets = new LinkedHashMap<>();
    long[] counts = new long[2];
    List<Document> sameStep = new ArrayList<>();
    Document projection = new Document(RANK, 1).append(STEP, 1).append(TIMESTAMP, 1).append(METRICS, 1);
    for (Document d : steps.find(new Document(RUN, run)).projection(projection)
        .sort(new Document(RANK, 1).append(STEP, 1)).batchSize(BATCH)) {
      if (!sameStep.isEmpty() && !(rank(d) == rank(sameStep.get(0)) && step(d) == step(sameStep.get(0)))) {
        fold(run, sameStep, buckets, counts);
      }
      sameStep.add(d);
    }
    fold(run, sameStep, buckets, counts);
    List<WriteModel<Document>> writes = new ArrayList<>(BATCH);
    for (Map.Entry<SeriesRollups.Key, SeriesBucket> e : buckets.entrySet()) {
      writes.add(SeriesRollups.upsert(e.getKey(), e.getValue()));
      if (writes.size() == BATCH) {
        rollups.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        writes.clear();
      }
    }
    if (!writes.isEmpty()) {
      rollups.bulkWrite(writes, new BulkWriteOptions().ordered(false));
    }
    List<Object> stale = new ArrayList<>();
    for (Document d : rollups.find(new Document(RUN, run)).projection(new Document("_id", 1))) {
      SeriesRollups.Key key = d.get("_id") instanceof Document id ? SeriesRollups.Key.of(id) : null;
      if (key == null || !buckets.containsKey(key)) {
        stale.add(d.get("_id"));
      }
    }
    long removed = stale.isEmpty() ? 0 : rollups.deleteMany(new Document("_id", new Document("$in", stale)))
        .getDeletedCount();
    return new Result(counts[0], counts[1], buckets.size(), removed);
  }

  /** Folds the documents of one rank's step, in the order their sequence gives (as the backend received them). */
  private static void fold(String run, List<Document> sameStep, Map<SeriesRollups.Key, SeriesBucket> buckets,
      long[] counts) {
    sameStep.sort(Comparator.comparingLong(SeriesRebuild::sequence));
    for (Document d : sameStep) {
      counts[0]++;
      long time = d.get(TIMESTAMP) instanceof Date t ? t.getTime() : 0;
      if (d.get(METRICS) instanceof Document metrics) {
        counts[1] += walk(run, rank(d), step(d), time, METRICS, metrics, buckets);
      }
    }
    sameStep.clear();
  }

  /** Scalars are stored as doubles; nested maps as documents; a document with a GridFS id is an artifact. */
  private static long walk(String run, int rank, long step, long time, String path, Document values,
      Map<SeriesRollups.Key, SeriesBucket> buckets) {
    long points = 0;
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String child = path + "." + e.getKey(); // stored keys are escaped already
      if (e.getValue() instanceof Double v) {
        buckets.computeIfAbsent(SeriesRollups.Key.of(run, rank, child, step), k -> new SeriesBucket())
            .add(new SeriesBucket.Point(step, time, v));
        points++;
      } else if (e.getValue() instanceof Document nested && !nested.containsKey(GRIDFS_ID)) {
        points += walk(run, rank, step, time, child, nested, buckets);
      }
    }
    return points;
  }

  private static int rank(Document d) {
    return d.get(RANK) instanceof Number n ? n.intValue() : 0;
  }

  private static long step(Document d) {
    return d.get(STEP) instanceof Number n ? n.longValue() : 0;
  }

  /** The sequence ending the record id {@code run/rank/step/sequence}; ids of other writers sort first. */
  private static long sequence(Document d) {
    String id = String.valueOf(d.get("_id"));
    try {
      return Long.parseLong(id.substring(id.lastIndexOf('/') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
