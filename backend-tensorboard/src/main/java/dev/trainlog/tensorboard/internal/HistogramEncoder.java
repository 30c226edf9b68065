package dev.trainlog.tensorboard.internal;

import java.util.Arrays;

/**
 * Writes a {@code HistogramProto} for a vector: min, max, count, sum and sum of squares of its
 * finite elements, and up to {@value #MAX_BUCKETS} equal-width buckets over [min, max] (fewer for
 * short vectors). Non-finite elements are left out, since a bucket edge cannot be infinite.
 */
final class HistogramEncoder {

  /** The most buckets a histogram gets: {@value}. */
  static final int MAX_BUCKETS = 30;

  static final int HISTO_MIN = 1;
  static final int HISTO_MAX = 2;
  static final int HISTO_NUM = 3;
  static final int HISTO_SUM = 4;
  static final int HISTO_SUM_SQUARES = 5;
  static final int HISTO_BUCKET_LIMIT = 6;
  static final int HISTO_BUCKET = 7;

  private final double[] limits = new double[MAX_BUCKETS];
  private final double[] counts = new double[MAX_BUCKETS];

  void encode(ProtoBuffer out, double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    double sumSquares = 0;
    int n = 0;
    for (double x : values) {
      if (Double.isFinite(x)) {
        min = Math.min(min, x);
        max = Math.max(max, x);
        sum += x;
        sumSquares += x * x;
        n++;
      }
    }
    if (n == 0) {
      out.doubleField(HISTO_NUM, 0);
      return;
    }
    int buckets = max == min ? 1 : Math.min(MAX_BUCKETS, n);
    double width = (max - min) / buckets;
    Arrays.fill(counts, 0, buckets, 0);
    for (int i = 0; i < buckets; i++) {
      limits[i] = i == buckets - 1 ? max : min + width * (i + 1);
    }
    for (double x : values) {
      if (Double.isFinite(x)) {
        int b = width == 0 ? 0 : (int) ((x - min) / width);
        counts[Math.min(b, buckets - 1)]++;
      }
    }
    out.doubleField(HISTO_MIN, min);
    out.doubleField(HISTO_MAX, max);
    out.doubleField(HISTO_NUM, n);
    out.doubleField(HISTO_SUM, sum);
    out.doubleField(HISTO_SUM_SQUARES, sumSquares);
    out.packedDoubles(HISTO_BUCKET_LIMIT, limits, buckets);
    out.packedDoubles(HISTO_BUCKET, counts, buckets);
  }
}
