package dev.trainlog.core.internal.sampling;

import dev.trainlog.spi.Sampler;

/**
 * Keeps steps 0, 1, 2, 5, 10, 20, 50, 100, ...: one, two and five times each power of ten ({@code
 * sample: {log-spaced: true}}). Dense early, where curves change fastest, and sparse later.
 */
public final class LogSpaced implements Sampler, Predicting {

  @Override
  public boolean shouldLog(long step, long timestampMillis) {
    if (step <= 0) {
      return step == 0;
    }
    long mantissa = step;
    while (mantissa % 10 == 0) {
      mantissa /= 10;
    }
    return mantissa == 1 || mantissa == 2 || mantissa == 5;
  }

  @Override
  public boolean wouldLog(long step, long nowMillis) {
    return shouldLog(step, nowMillis);
  }

  @Override
  public String toString() {
    return "log-spaced";
  }
}
