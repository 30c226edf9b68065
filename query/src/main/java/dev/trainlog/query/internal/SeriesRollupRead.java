package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.schema.StoreSchema.POINT_STEP;
import static dev.trainlog.mongodb.schema.StoreSchema.POINT_TIME;
import static dev.trainlog.mongodb.schema.StoreSchema.POINT_VALUE;
import static dev.trainlog.mongodb.schema.StoreSchema.RANK;
import static dev.trainlog.mongodb.schema.StoreSchema.RUN;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_BUCKET_STEPS;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_COUNT;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_FIRST;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_ID_PATH;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_LAST;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_MAX;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_MIN;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_NON_FINITE;
import static dev.trainlog.mongodb.schema.StoreSchema.SERIES_NON_FINITE_COUNT;
import static dev.trainlog.mongodb.schema.StoreSchema.STATUS_RUNNING;

import com.mongodb.client.MongoCollection;
import dev.trainlog.query.spec.MetricStats;
import dev.trainlog.query.spec.RunRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * The candidates of a chart of one metric from the backend's series rollups instead of every step document:
 * the buckets' first, last, minimum, maximum and non-finite points, for the caller to downsample. Answers only when the rollups cover the run's summary and
 * have at least two buckets per point asked.
 */
public final class SeriesRollupRead {

  /** The candidate points in step order, to be downsampled, and how many points the stored series has. */
  public record Chart(long[] steps, long[] times, double[] values, long total) {}

  private record Point(long step, long time, double value) {}

  /**
   * The fields the chart reads, and only those: the embedded store service then answers from its run index's
   * records without decoding the documents, and a server sends less.
   */
  private static final Document FIELDS = new Document("_id", 0).append(SERIES_COUNT, 1).append(SERIES_FIRST, 1)
      .append(SERIES_LAST, 1).append(SERIES_MIN, 1).append(SERIES_MAX, 1).append(SERIES_NON_FINITE, 1)
      .append(SERIES_NON_FINITE_COUNT, 1);

  private SeriesRollupRead() {}

  /**
   * The candidate points of a chart of {@code metric} of {@code run}'s lowest rank in {@code maxPoints} points,
   * or empty when the series is short enough to read in full or the rollups
   * do not cover it: no bucket, a bucket that dropped non-finite points, or a total other than the
   * summary's count (a running run's rollups may be ahead of its summary, which is written on heartbeats).
   */
  public static Optional<Chart> chart(MongoCollection<Document> rollups, RunRecord run, String metric, int maxPoints) {
    Optional<MetricStats> stats = run.metric(metric);
    if (stats.isEmpty() || stats.get().count() <= maxPoints || !enoughBuckets(stats.get(), maxPoints)) {
      return Optional.empty();
    }
    Document filter = new Document(RUN, run.run()).append(RANK, run.lowestRank())
        .append("_id." + SERIES_ID_PATH, run.pathOf(metric));
    List<Point> points = new ArrayList<>();
    long total = 0;
    for (Document d : rollups.find(filter).projection(FIELDS)) {
      long nonFinite = number(d.get(SERIES_NON_FINITE_COUNT));
      List<?> kept = d.get(SERIES_NON_FINITE) instanceof List<?> l ? l : List.of();
      if (nonFinite > kept.size()) {
        return Optional.empty();
      }
      total += number(d.get(SERIES_COUNT));
      for (String field : List.of(SERIES_FIRST, SERIES_LAST, SERIES_MIN, SERIES_MAX)) {
        add(points, d.get(field));
      }
      kept.forEach(p -> add(points, p));
    }
    long expected = stats.get().count();
    boolean covers = covers(total, expected, run.storedStatus());
    if (points.isEmpty() || !covers) {
      return Optional.empty();
    }
    return Optional.of(candidates(points.stream().distinct().sorted(Comparator.comparingLong(Point::step)).toList(),
        total));
  }

  /**
   * Whether rollups holding {@code rolled} points cover a series whose summary counts {@code counted}: equal,
   * or ahead while the run is {@code status} RUNNING (its summary is written on heartbeats).
   */
  static boolean covers(long rolled, long counted, String status) {
    return rolled == counted || rolled > counted && STATUS_RUNNING.equals(status);
  }

  /** Whether the buckets give at least two candidates per point asked, so the chart is no coarser than a full read's. */
  private static boolean enoughBuckets(MetricStats stats, int maxPoints) {
    if (stats.firstStep() == null || stats.lastStep() == null) {
      return false;
    }
    long buckets = Math.floorDiv(stats.lastStep(), SERIES_BUCKET_STEPS) - Math.floorDiv(stats.firstStep(), SERIES_BUCKET_STEPS) + 1;
    return buckets * 2 >= maxPoints;
  }

  private static Chart candidates(List<Point> points, long total) {
    long[] s = new long[points.size()];
    long[] t = new long[points.size()];
    double[] v = new double[points.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = points.get(i).step();
      t[i] = points.get(i).time();
      v[i] = points.get(i).value();
    }
    return new Chart(s, t, v, total);
  }

  private static void add(List<Point> points, Object o) {
    if (o instanceof Document d && d.get(POINT_STEP) instanceof Number s && d.get(POINT_VALUE) instanceof Number v) {
      points.add(new Point(s.longValue(), number(d.get(POINT_TIME)), v.doubleValue()));
    }
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }
}
