package dev.trainlog.core.internal.sampling;

import dev.trainlog.spi.Sampler;

/** Keeps every step: {@code sample: always}. */
public final class Always implements Sampler, Predicting {

  @Override
  public boolean shouldLog(long step, long timestampMillis) {
    return true;
  }

  @Override
  public boolean wouldLog(long step, long nowMillis) {
    return true;
  }

  @Override
  public String toString() {
    return "always";
  }
}
