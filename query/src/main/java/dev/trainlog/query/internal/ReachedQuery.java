package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.TIMESTAMP;

import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.Comparator;
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
   * ({@code {from, to}}, inclusive) to those runs, one {@code $or} branch per range (grouped, see {@link #grouped}).
   */
  public static Map<String, First> inBuckets(MongoCollection<Document> steps, Map<List<Long>, List<String>> ranges,
      String path, double threshold) {
    if (ranges.isEmpty()) {
      return Map.of();
    }
    List<Map.Entry<List<Long>, List<String>>> sorted = ranges.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing((List<Long> r) -> r.get(0)))).toList();
    List<Document> branches = new ArrayList<>();
    for (Map.Entry<List<Long>, List<String>> e : sorted) {
      // the step range first: a server that matches every document in turn (mongo-java-server) rejects a
      // branch with two number comparisons before it walks the branch's list of runs
      branches.add(new Document(STEP, range(e.getKey().get(0), e.getKey().get(1)))
          .append(RUN, new Document("$in", e.getValue())));
    }
    Document match = new Document(path, below(threshold));
    match.putAll(grouped(branches));
    // every run the ranges name, last: redundant for the answer and cheap where it is reached (only documents
    // already in a branch's range), and what lets the store service read only these runs through its run index
    match.append(RUN, new Document("$in", sorted.stream().flatMap(e -> e.getValue().stream()).distinct().toList()));
    return first(steps, match, path);
  }

  /**
   * The branches (in step order) as one {@code $or} of about √n groups, each its step span and an {@code $or} of
   * its branches: a server that matches every document in turn then checks about 2√n ranges per document
   * instead of n (README, B12); MongoDB pushes a contained {@code $or} down to its index.
   */
  private static Document grouped(List<Document> branches) {
    if (branches.size() == 1) {
      return branches.get(0);
    }
    int size = (int) Math.ceil(Math.sqrt(branches.size()));
    if (size < 3) {
      return new Document("$or", branches);
    }
    List<Document> groups = new ArrayList<>();
    for (int i = 0; i < branches.size(); i += size) {
      List<Document> group = branches.subList(i, Math.min(branches.size(), i + size));
      long from = ((Document) group.get(0).get(STEP)).getLong("$gte");
      long to = group.stream().mapToLong(b -> ((Document) b.get(STEP)).getLong("$lte")).max().orElseThrow();
      groups.add(new Document(STEP, range(from, to)).append("$or", group));
    }
    return new Document("$or", groups);
  }

  private static Document range(long from, long to) {
    return new Document("$gte", from).append("$lte", to);
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
