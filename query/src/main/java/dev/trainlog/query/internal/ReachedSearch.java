package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_BUCKET_STEPS;

import com.mongodb.client.MongoCollection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Reached-within in time that grows with the buckets, not the steps: the series rollups name each covered
 * run's first crossing bucket, and one read of those buckets' steps (at most
 * {@value dev.trainlog.mongodb.schema.StoreSchema#SERIES_BUCKET_STEPS} per run) gives the exact first step.
 * Runs without covering rollups, or whose bucket's steps disagree with them, get the full aggregation.
 */
public final class ReachedSearch {

  private ReachedSearch() {}

  /** As {@link ReachedQuery#run}, with the same answers, reading the rollups first. */
  public static Map<String, ReachedQuery.First> run(MongoCollection<Document> steps, MongoCollection<Document> rollups,
      MongoCollection<Document> runsDocs, List<String> runs, String path, double threshold, long within) {
    Map<String, Long> buckets = ReachedRollups.firstBuckets(rollups, runsDocs, runs, path, threshold, within);
    Map<List<Long>, List<String>> ranges = new LinkedHashMap<>();
    buckets.forEach((run, b) -> {
      if (b != ReachedRollups.NEVER) {
        long from = b * SERIES_BUCKET_STEPS;
        // the step limit can fall inside the bucket
        ranges.computeIfAbsent(List.of(from, Math.min(from + SERIES_BUCKET_STEPS - 1, within)), k -> new ArrayList<>())
            .add(run);
      }
    });
    Map<String, ReachedQuery.First> found = ReachedQuery.inBuckets(steps, ranges, path, threshold);
    List<String> rest = new ArrayList<>();
    for (String run : runs) {
      Long b = buckets.get(run);
      boolean limitInside = b != null && (b + 1) * SERIES_BUCKET_STEPS - 1 > within;
      // a bucket whose minimum crossed but whose steps did not (and not only past the limit) is a rollup to distrust
      if (b == null || b != ReachedRollups.NEVER && !found.containsKey(run) && !limitInside) {
        rest.add(run);
      }
    }
    Map<String, ReachedQuery.First> out = new LinkedHashMap<>(found);
    if (!rest.isEmpty()) {
      out.putAll(ReachedQuery.run(steps, rest, path, threshold, within));
    }
    return out;
  }
}
