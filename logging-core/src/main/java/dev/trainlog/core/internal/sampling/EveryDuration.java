package dev.trainlog.core.internal.sampling;

import dev.trainlog.core.spec.SampleRule;
import dev.trainlog.spi.Sampler;
import java.time.Duration;

/**
 * Keeps the first step, then a step whenever at least {@code interval} of record wall time has passed
 * since the last kept one: {@code sample: {every-time: 30s}}. A record older than the last kept one
 * (the clock was set back) is kept and restarts the interval, so a clock jump never silences a backend.
 */
public final class EveryDuration implements Sampler, Predicting {

  private final long intervalMillis;
  // volatile: the worker writes them, wants() reads them from the training thread
  private volatile boolean keptAny;
  private volatile long lastKeptMillis;

  /** {@code interval} is positive: {@link dev.trainlog.core.spec.SampleSpec#everyTime} checked it. */
  public EveryDuration(Duration interval) {
    this.intervalMillis = interval.toMillis();
  }

  @Override
  public boolean shouldLog(long step, long timestampMillis) {
    long elapsed = timestampMillis - lastKeptMillis;
    if (keptAny && elapsed >= 0 && elapsed < intervalMillis) {
      return false;
    }
    keptAny = true;
    lastKeptMillis = timestampMillis;
    return true;
  }

  @Override
  public boolean wouldLog(long step, long nowMillis) {
    long last = lastKeptMillis;
    long elapsed = nowMillis - last;
    return !keptAny || elapsed < 0 || elapsed >= intervalMillis;
  }

  @Override
  public String toString() {
    return new SampleRule.EveryTime(Duration.ofMillis(intervalMillis)).toString();
  }
}
