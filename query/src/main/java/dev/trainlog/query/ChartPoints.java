package dev.trainlog.query;

import dev.trainlog.query.spec.MetricSeries;
import java.util.Arrays;

/** A series cut down to a chart's budget with {@link Downsampler}, from every stored point or a rollup's candidates. */
final class ChartPoints {

  private ChartPoints() {}

  /**
   * Every point when there are at most {@code maxPoints}, else the downsampled ones; with {@code keepExtremes}
   * (candidates from rollups, where the triangles may pass over a bucket's extreme) two of the places go to the
   * global finite minimum and maximum.
   */
  static MetricSeries chart(String run, String metric, long[] s, long[] t, double[] v, int maxPoints, long total,
      boolean keepExtremes) {
    int stored = (int) Math.min(Integer.MAX_VALUE, total);
    if (s.length <= maxPoints) {
      return new MetricSeries(run, metric, s, t, v, stored);
    }
    double[] x = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      x[i] = s[i];
    }
    int[] keep = keepExtremes ? withExtremes(Downsampler.select(x, v, maxPoints - 2), v)
        : Downsampler.select(x, v, maxPoints);
    long[] ks = new long[keep.length];
    long[] kt = new long[keep.length];
    double[] kv = new double[keep.length];
    for (int i = 0; i < keep.length; i++) {
      ks[i] = s[keep[i]];
      kt[i] = t[keep[i]];
      kv[i] = v[keep[i]];
    }
    return new MetricSeries(run, metric, ks, kt, kv, stored);
  }

  private static int[] withExtremes(int[] keep, double[] v) {
    int lo = -1;
    int hi = -1;
    for (int i = 0; i < v.length; i++) {
      if (Double.isFinite(v[i])) {
        lo = lo < 0 || v[i] < v[lo] ? i : lo;
        hi = hi < 0 || v[i] > v[hi] ? i : hi;
      }
    }
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
}
