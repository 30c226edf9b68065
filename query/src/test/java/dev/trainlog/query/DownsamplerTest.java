package dev.trainlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Largest-triangle-three-buckets keeps the budget, the ends, the peaks and every non-finite point. */
class DownsamplerTest {

  @Test
  void aLongCurveKeepsTheBudgetItsEndsItsSpikeAndEveryNonFinitePoint() {
    int n = 100_000;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = Math.exp(-i / 20_000.0);
    }
    y[31_337] = 50;
    y[40_000] = Double.NaN;
    y[70_000] = Double.POSITIVE_INFINITY;
    y[99_998] = Double.NEGATIVE_INFINITY;

    int[] kept = Downsampler.select(x, y, 2000);

    assertThat(kept).hasSize(2000).contains(0, n - 1, 31_337, 40_000, 70_000, 99_998);
    assertThat(kept).isSorted();
    assertThat(Arrays.stream(kept).distinct().count()).isEqualTo(2000);
  }

  @Test
  void aShortCurveIsKeptWhole() {
    double[] x = {1, 2, 3, 4};
    double[] y = {4, Double.NaN, 2, 1};
    assertThat(Downsampler.select(x, y, 2000)).containsExactly(0, 1, 2, 3);
  }
}
