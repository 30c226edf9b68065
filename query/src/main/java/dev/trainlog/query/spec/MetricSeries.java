package dev.trainlog.query.spec;

/**
 * One metric of one run in step order: steps, wall times (epoch millis) and values, non-finite values
 * included. {@code storedPoints} is how many the store holds; fewer are here when the series was downsampled.
 */
public record MetricSeries(String run, String metric, long[] steps, long[] times, double[] values, int storedPoints) {

  /** How many points are here. */
  public int size() {
    return steps.length;
  }

  /** Whether fewer points are here than the store holds. */
  public boolean downsampled() {
    return steps.length < storedPoints;
  }

  /** The last step here, or -1 when empty. */
  public long lastStep() {
    return steps.length == 0 ? -1 : steps[steps.length - 1];
  }
}
