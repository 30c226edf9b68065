package dev.trainlog.query;

import java.util.Arrays;

/**
 * Largest-triangle-three-buckets over the finite points of a curve, plus every non-finite point:
 * the shape survives at a fixed budget and a NaN or infinity is never sampled away.
 */
public final class Downsampler {

  /** Points per series in a compare report and a chart unless asked otherwise: {@value}. */
  public static final int MAX_POINTS = 2000;

  private Downsampler() {}

  /** The indices to keep, ascending: at most {@code budget} finite points (first and last included) and all non-finite ones. */
  public static int[] select(double[] x, double[] y, int budget) {
    int n = y.length;
    int[] finite = new int[n];
    int[] other = new int[n];
    int f = 0;
    int o = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isFinite(y[i])) {
        finite[f++] = i;
      } else {
        other[o++] = i;
      }
    }
    int keepFinite = Math.max(3, budget - o);
    int[] kept = f <= keepFinite ? Arrays.copyOf(finite, f) : lttb(x, y, Arrays.copyOf(finite, f), keepFinite);
    int[] all = new int[kept.length + o];
    System.arraycopy(kept, 0, all, 0, kept.length);
    System.arraycopy(other, 0, all, kept.length, o);
    Arrays.sort(all);
    return all;
  }

  /** Classic LTTB over the points {@code idx} (all finite), keeping {@code threshold} of them. */
  private static int[] lttb(double[] x, double[] y, int[] idx, int threshold) {
    int n = idx.length;
    int[] out = new int[threshold];
    int count = 0;
    double every = (double) (n - 2) / (threshold - 2);
    int a = 0;
    out[count++] = idx[0];
    for (int i = 0; i < threshold - 2; i++) {
      int avgStart = (int) Math.floor((i + 1) * every) + 1;
      int avgEnd = Math.min((int) Math.floor((i + 2) * every) + 1, n);
      double avgX = 0;
      double avgY = 0;
      for (int j = avgStart; j < avgEnd; j++) {
        avgX += x[idx[j]];
        avgY += y[idx[j]];
      }
      int len = Math.max(1, avgEnd - avgStart);
      avgX /= len;
      avgY /= len;
      int rangeStart = (int) Math.floor(i * every) + 1;
      int rangeEnd = (int) Math.floor((i + 1) * every) + 1;
      double ax = x[idx[a]];
      double ay = y[idx[a]];
      double maxArea = -1;
      int next = rangeStart;
      for (int j = rangeStart; j < rangeEnd; j++) {
        double area = Math.abs((ax - avgX) * (y[idx[j]] - ay) - (ax - x[idx[j]]) * (avgY - ay));
        if (area > maxArea) {
          maxArea = area;
          next = j;
        }
      }
      out[count++] = idx[next];
      a = next;
    }
    out[count++] = idx[n - 1];
    return Arrays.copyOf(out, count);
  }
}
