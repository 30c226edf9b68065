package dev.trainlog.query.internal;

import static dev.trainlog.mongodb.StoreSchema.POINT_STEP;
import static dev.trainlog.mongodb.StoreSchema.POINT_TIME;
import static dev.trainlog.mongodb.StoreSchema.POINT_VALUE;
import static dev.trainlog.mongodb.StoreSchema.RANK;
import static dev.trainlog.mongodb.StoreSchema.RUN;
import static dev.trainlog.mongodb.StoreSchema.SERIES_BUCKET_STEPS;
import static dev.trainlog.mongodb.StoreSchema.SERIES_COUNT;
import static dev.trainlog.mongodb.StoreSchema.SERIES_FIRST;
import static dev.trainlog.mongodb.StoreSchema.SERIES_ID_PATH;
import static dev.trainlog.mongodb.StoreSchema.SERIES_LAST;
import static dev.trainlog.mongodb.StoreSchema.SERIES_MAX;
import static dev.trainlog.mongodb.StoreSchema.SERIES_MIN;
import static dev.trainlog.mongodb.StoreSchema.SERIES_NON_FINITE;
import static dev.trainlog.mongodb.StoreSchema.SERIES_NON_FINITE_COUNT;

import com.mongodb.client.MongoCollection;
import dev.trainlog.query.Downsampler;
import dev.trainlog.query.spec.MetricStats;
import dev.trainlog.query.spec.RunRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * A chart of one metric from the backend's series rollups instead of every step document: the buckets'
 * first, last, minimum, maximum and non-finite points become a candidate series, which is downsampled
 * with the global minimum and maximum kept. Answers only when the rollups cover the run's summary and
 * have at least two buckets per point asked.
 */
public final class SeriesRollupRead {

  /** A downsampled series and how many points the stored series has. */
  public record Chart(long[] steps, long[] times, double[] values, long total) {}

  private record Point(long step, long time, double value) {}

  private SeriesRollupRead() {}

  /**
   * The chart of {@code metric} of {@code run}'s lowest rank in at most {@code maxPoints} points (plus any
   * non-finite ones past that), or empty when the series is short enough to read in full or the rollups
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
    for (Document d : rollups.find(filter)) {
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
    boolean covers = total == expected || total > expected && "running".equals(run.storedStatus());
    if (points.isEmpty() || !covers) {
      return Optional.empty();
    }
    return Optional.of(downsample(points.stream().distinct().sorted(Comparator.comparingLong(Point::step)).toList(),
        maxPoints, total));
  }

  /** Whether the buckets give at least two candidates per point asked, so the chart is no coarser than a full read's. */
  private static boolean enoughBuckets(MetricStats stats, int maxPoints) {
    if (stats.firstStep() == null || stats.lastStep() == null) {
      return false;
    }
    long buckets = Math.floorDiv(stats.lastStep(), SERIES_BUCKET_STEPS) - Math.floorDiv(stats.firstStep(), SERIES_BUCKET_STEPS) + 1;
    return buckets * 2 >= maxPoints;
  }

  private static Chart downsample(List<Point> points, int maxPoints, long total) {
    int n = points.size();
    double[] x = new double[n];
    double[] y = new double[n];
    int lo = -1;
    int hi = -1;
    for (int i = 0; i < n; i++) {
      x[i] = points.get(i).step();
      y[i] = points.get(i).value();
      if (Double.isFinite(y[i])) {
        lo = lo < 0 || y[i] < y[lo] ? i : lo;
        hi = hi < 0 || y[i] > y[hi] ? i : hi;
      }
    }
    // two places held back for the global extremes, which the triangles may pass over
    int[] keep = n <= maxPoints ? all(n) : withExtremes(Downsampler.select(x, y, maxPoints - 2), lo, hi);
    long[] s = new long[keep.length];
    long[] t = new long[keep.length];
    double[] v = new double[keep.length];
    for (int i = 0; i < keep.length; i++) {
      Point p = points.get(keep[i]);
      s[i] = p.step();
      t[i] = p.time();
      v[i] = p.value();
    }
    return new Chart(s, t, v, total);
  }

  private static int[] all(int n) {
    int[] out = new int[n];
    Arrays.setAll(out, i -> i);
    return out;
  }

  private static int[] withExtremes(int[] keep, int lo, int hi) {
    int[] out = Arrays.copyOf(keep, keep.length + 2);
    int n = keep.length;
    for (int extreme : new int[] {lo, hi}) {
      if (extreme >= 0 && Arrays.stream(out, 0, n).noneMatch(i -> i == extreme)) {
        out[n++] = extreme;
      }
    }
    out = Arrays.copyOf(out, n);
    Arrays.sort(out);
    return out;
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
