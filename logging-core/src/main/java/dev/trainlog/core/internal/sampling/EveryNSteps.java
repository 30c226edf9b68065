package dev.trainlog.core.internal.sampling;

import dev.trainlog.spi.Sampler;

/**
 * Keeps steps that are a multiple of {@code n}: {@code sample: {every: n}}. Decided by the step
 * number alone, so ranks and restarted runs keep the same steps.
 */
public final class EveryNSteps implements Sampler, Predicting {

  private final long n;

  /** {@code n} is positive: {@link dev.trainlog.core.spec.SampleSpec#every} checked it where the spec was made. */
  public EveryNSteps(long n) {
    this.n = n;
  }

  @Override
  public boolean shouldLog(long step, long timestampMillis) {
    return Math.floorMod(step, n) == 0;
  }

  @Override
  public boolean wouldLog(long step, long nowMillis) {
    return Math.floorMod(step, n) == 0;
  }

  @Override
  public String toString() {
    return "every " + n + " steps";
  }
}
