package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.TIMESTAMP;

import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The seed's question in one aggregation over the step collection: {@code $match} the runs, the step
 * limit and a finite value below the threshold (the {@code run, rank, step} index serves the match),
 * {@code $sort} by step, {@code $group} each run's first such step. {@link #inBuckets} asks the same of
 * one step range per run, the bucket the series rollups point at.
 */
public final class ReachedQuery {

  private ReachedQuery() {}

  /** A run's first qualifying point. */
  public record First(long step, long timeMillis, double value) {}

  /** Per run id, its first step at or below {@code within} where {@code path} is finite and below {@code threshold}. */
  public static Map<String, First> run(MongoCollection<Document> steps, List<String> runs, String path,
      double threshold, long within) {
    // the value first, the list of runs last: a server that matches every document in turn (mongo-java-server)
    // walks that list for each document it gets to; MongoDB itself picks the index whatever the order
    Document match = new Document(path, below(threshold))
        .append(STEP, new Document("$lte", within))
        .append(RUN, new Document("$in", runs));
    return first(steps, match, path);
  }

  /**
   * As {@link #run}, each run read only between two steps: {@code ranges} maps runs sharing a range
   * ({@code {from, to}}, inclusive) to those runs, one {@code $or} branch per range.
   */
  public static Map<String, First> inBuckets(MongoCollection<Document> steps, Map<List<Long>, List<String>> ranges,
      String path, double threshold) {
    if (ranges.isEmpty()) {
      return Map.of();
    }
    List<Document> branches = new ArrayList<>();
    // the step range first: a server that matches every document (mongo-java-server) rejects most branches
    // with two number comparisons before it walks the branch's list of runs
    ranges.forEach((range, runs) -> branches.add(new Document(STEP, new Document("$gte", range.get(0))
        .append("$lte", range.get(1))).append(RUN, new Document("$in", runs))));
    Document match = new Document(path, below(threshold));
    if (branches.size() == 1) {
      match.putAll(branches.get(0));
    } else {
      match.append("$or", branches);
    }
    return first(steps, match, path);
  }

  // $gte -MAX_VALUE leaves out NaN (which MongoDB orders below every number) and -Infinity
  private static Document below(double threshold) {
    return new Document("$lt", threshold).append("$gte", -Double.MAX_VALUE);
  }

  private static Map<String, First> first(MongoCollection<Document> steps, Document match, String path) {
    List<Document> pipeline = List.of(
        new Document("$match", match),
        new Document("$sort", new Document(STEP, 1)),
        new Document("$group", new Document("_id", "$" + RUN).append("step", new Document("$first", "$" + STEP))
            .append("time", new Document("$first", "$" + TIMESTAMP))
            .append("value", new Document("$first", "$" + path))));
    Map<String, First> out = new LinkedHashMap<>();
    for (Document d : steps.aggregate(pipeline).allowDiskUse(true)) {
      java.util.Date time = d.getDate("time");
      out.put(d.getString("_id"), new First(((Number) d.get("step")).longValue(), time == null ? 0 : time.getTime(),
          ((Number) d.get("value")).doubleValue()));
    }
    return out;
  }
}
