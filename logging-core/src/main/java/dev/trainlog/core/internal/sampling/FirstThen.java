package dev.trainlog.core.internal.sampling;

import dev.trainlog.spi.Sampler;

/**
 * Keeps every step below {@code first}, then defers to another rule: {@code sample: {first: 100,
 * every: 50}}. The other rule is not consulted for the early steps, so a time-based rule starts
 * counting at step {@code first}.
 */
public final class FirstThen implements Sampler, Predicting {

  private final long first;
  private final Sampler then;

  public FirstThen(long first, Sampler then) {
    this.first = first;
    this.then = then;
  }

  @Override
  public boolean shouldLog(long step, long timestampMillis) {
    return step < first || then.shouldLog(step, timestampMillis);
  }

  @Override
  public boolean wouldLog(long step, long nowMillis) {
    return step < first || Predicting.wouldLog(then, step, nowMillis);
  }

  @Override
  public String toString() {
    return "steps below " + first + ", then " + then;
  }
}
