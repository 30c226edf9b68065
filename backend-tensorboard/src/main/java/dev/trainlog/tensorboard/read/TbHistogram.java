package dev.trainlog.tensorboard.read;

import java.util.Arrays;

/**
 * A histogram as read: from a {@code HistogramProto} all fields as written; from a tensor of the
 * {@code histograms} plugin (rows of left edge, right edge, count) {@code min} is the first left edge,
 * {@code max} the last right edge, {@code num} the sum of the counts, and {@code sum} and {@code
 * sumSquares} are NaN since such a tensor does not hold them. Bucket {@code i} holds {@code
 * bucketCounts[i]} values up to {@code bucketLimits[i]}.
 */
public record TbHistogram(
    double min, double max, double num, double sum, double sumSquares, double[] bucketLimits, double[] bucketCounts) {

  /** Copies the arrays, so that the record stays as read. */
  public TbHistogram {
    bucketLimits = bucketLimits.clone();
    bucketCounts = bucketCounts.clone();
  }

  @Override
  public double[] bucketLimits() {
    return bucketLimits.clone();
  }

  @Override
  public double[] bucketCounts() {
    return bucketCounts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TbHistogram h
        && Double.compare(min, h.min) == 0 && Double.compare(max, h.max) == 0
        && Double.compare(num, h.num) == 0 && Double.compare(sum, h.sum) == 0
        && Double.compare(sumSquares, h.sumSquares) == 0
        && Arrays.equals(bucketLimits, h.bucketLimits) && Arrays.equals(bucketCounts, h.bucketCounts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new double[] {min, max, num, sum, sumSquares})
        + 31 * Arrays.hashCode(bucketLimits) + 961 * Arrays.hashCode(bucketCounts);
  }

  @Override
  public String toString() {
    return "TbHistogram[min=" + min + ", max=" + max + ", num=" + num + ", sum=" + sum + ", sumSquares=" + sumSquares
        + ", bucketLimits=" + Arrays.toString(bucketLimits) + ", bucketCounts=" + Arrays.toString(bucketCounts) + "]";
  }
}
