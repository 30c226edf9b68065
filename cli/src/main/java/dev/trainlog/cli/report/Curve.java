package dev.trainlog.cli.report;

/**
 * One run's values of one metric at full resolution, in step order; {@code times} are epoch millis.
 *
 * @param experiment the run's experiment
 * @param run the run id
 * @param name the run name
 * @param metric the metric name
 */
public record Curve(String experiment, String run, String name, String metric, long[] steps, long[] times,
    double[] values) {

  /** The index of the best finite value (the lowest, or the highest when {@code higherIsBetter}); -1 if none. */
  public int best(boolean higherIsBetter) {
    int best = -1;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (Double.isFinite(v) && (best < 0 || (higherIsBetter ? v > values[best] : v < values[best]))) {
        best = i;
      }
    }
    return best;
  }

  /** How many values are NaN or infinite. */
  public int nonFinite() {
    int n = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        n++;
      }
    }
    return n;
  }
}
