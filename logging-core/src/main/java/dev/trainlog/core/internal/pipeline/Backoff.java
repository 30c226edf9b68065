package dev.trainlog.core.internal.pipeline;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential backoff with jitter: each wait is drawn from [half, full] of a doubling, capped delay. */
final class Backoff {

  private final long initialNanos;
  private final long maxNanos;
  private final DoubleSupplier random;
  private int failures;

  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /** The wait before the next attempt, after one more failure. */
  long nextDelayNanos() {
    int exponent = Math.min(failures++, 40);
    double full = Math.min((double) maxNanos, initialNanos * Math.pow(2, exponent));
    return (long) (full / 2 + random.getAsDouble() * full / 2);
  }

  void reset() {
    failures = 0;
  }

  int failures() {
    return failures;
  }
}
