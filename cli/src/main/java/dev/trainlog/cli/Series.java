package dev.trainlog.cli;

/**
 * One metric of one run as stored, in step order: the steps, wall times (epoch millis) and values,
 * non-finite values included.
 */
record Series(RunView run, String metric, long[] steps, long[] times, double[] values) {

  int size() {
    return steps.length;
  }

  /** How many values are NaN or infinite. */
  long nonFinite() {
    long n = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        n++;
      }
    }
    return n;
  }
}
